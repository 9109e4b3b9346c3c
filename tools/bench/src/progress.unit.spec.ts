import { PassThrough } from 'node:stream';
import { Progress } from './progress';

function capture(): { out: NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return { out: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe('Progress', () => {
  it('prints steps and notes on their own lines when stderr is not a terminal, without redraw codes', () => {
    const { out, text } = capture();
    const progress = new Progress(out);
    progress.step('W1, 64 in flight');
    progress.update('256/100,000 appends');
    progress.note('33,000 events/s; exact');
    expect(text()).toMatch(/^\[0:00\] W1, 64 in flight\n {4}33,000 events\/s; exact\n$/);
    expect(text()).not.toContain('\x1b');
  });
});
