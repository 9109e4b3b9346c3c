/** States longer than this many digits are sent shortened; the page fetches the full value on demand. */
export const FULL_DIGITS_LIMIT = 60;
const KEEP_DIGITS = 20;

export interface StatePreview {
  readonly value: string;
  readonly shortened: boolean;
  readonly digits: number;
}

/**
 * A reducer state for the page: in full up to {@link FULL_DIGITS_LIMIT}
 * digits, else its sign, first and last 20 digits around "…" and the digit
 * count. The digits shown are exact (cut from the decimal text, never rounded).
 * A state that is not an integer (stats' JSON) is counted by characters.
 */
export function previewState(value: string): StatePreview {
  const body = value.startsWith('-') ? value.slice(1) : value;
  const digits = /^\d+$/.test(body) ? body.length : value.length;
  if (value.length <= FULL_DIGITS_LIMIT) return { value, shortened: false, digits };
  const sign = value.length === body.length ? '' : '-';
  return { value: `${sign}${body.slice(0, KEEP_DIGITS)}…${body.slice(-KEEP_DIGITS)}`, shortened: true, digits };
}
