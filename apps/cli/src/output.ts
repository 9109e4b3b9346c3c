/** One JSON object per line, bigints (64-bit numbers) as strings, Dates as ISO text. */
export function printJson(value: unknown): void {
  process.stdout.write(
    `${JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item))}\n`,
  );
}

export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}
