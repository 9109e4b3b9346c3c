import { StringDecoder } from 'node:string_decoder';

/**
 * Longest line kept whole. A valid value is at most 20 characters; a longer
 * "line" (a binary file, no newlines) is cut here and yielded so the caller
 * rejects it, instead of buffering the whole input.
 */
export const MAX_LINE_CHARS = 4_096;

/**
 * The lines of `input` (a readable stream such as stdin), read one chunk at a
 * time: the next chunk is read only when the consumer asks for more lines,
 * so a slow consumer applies backpressure and memory stays bounded. Handles
 * "\n" and "\r\n"; a last line without a newline is yielded too.
 */
export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  for await (const chunk of input) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let newline: number;
    while ((newline = pending.indexOf('\n', start)) >= 0) {
      yield stripCr(pending.slice(start, newline));
      start = newline + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_LINE_CHARS) {
      yield pending.slice(0, MAX_LINE_CHARS);
      pending = '';
      // The rest of this over-long line is dropped; the caller stops at the one yielded.
    }
  }
  pending += decoder.end();
  if (pending !== '') yield stripCr(pending);
}

const stripCr = (line: string): string => (line.endsWith('\r') ? line.slice(0, -1) : line);
