/** One JSON object as text: bigints (64-bit numbers) as strings, Dates as ISO text. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
}

/** One JSON object per line. */
export function printJson(value: unknown): void {
  process.stdout.write(`${jsonText(value)}\n`);
}

export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}
