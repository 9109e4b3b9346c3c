import { Readable } from 'node:stream';
import { MAX_LINE_CHARS, readLines } from './line-reader';

async function collect(chunks: (string | Buffer)[]): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readLines(Readable.from(chunks))) lines.push(line);
  return lines;
}

describe('readLines', () => {
  it('splits across chunk boundaries, handles CRLF and a last line without a newline', async () => {
    expect(await collect(['1\n2', '2\r\n', '-3\n\n4'])).toEqual(['1', '22', '-3', '', '4']);
  });

  it('decodes a UTF-8 character split between chunks', async () => {
    const bytes = Buffer.from('é\n');
    expect(await collect([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual(['é']);
  });

  it('cuts an over-long line instead of buffering the whole input', async () => {
    const lines = await collect(['x'.repeat(MAX_LINE_CHARS * 3)]);
    expect(lines[0]).toHaveLength(MAX_LINE_CHARS);
  });
});
