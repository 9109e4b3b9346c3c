import { deferred } from './deferred';
import { waitFor, withTimeout } from './wait-for';

describe('waitFor', () => {
  it('returns the first truthy value the condition gives', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? `after ${calls}` : undefined), { description: 'three calls', intervalMs: 1 });
    expect(value).toBe('after 3');
  });

  it('fails naming what it waited for and the last error once the deadline passes', async () => {
    await expect(
      waitFor(
        () => {
          throw new Error('not yet');
        },
        { description: 'the impossible', timeoutMs: 30, intervalMs: 5 },
      ),
    ).rejects.toThrow('timed out after 30 ms waiting for the impossible; last error: not yet');
  });
});

describe('withTimeout and deferred', () => {
  it('passes a settled value through', async () => {
    const later = deferred<number>();
    later.resolve(7);
    await expect(withTimeout(later.promise, 1_000, 'a resolved promise')).resolves.toBe(7);
  });

  it('rejects with the description when the promise never settles', async () => {
    await expect(withTimeout(deferred<number>().promise, 20, 'a stuck promise')).rejects.toThrow('timed out after 20 ms: a stuck promise');
  });
});
