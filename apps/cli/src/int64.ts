import { InvalidArgumentError } from 'commander';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** An exact signed 64-bit integer from text; throws InvalidArgumentError (a usage error) otherwise. */
export function parseInt64(text: string): bigint {
  if (!/^-?\d+$/.test(text.trim())) throw new InvalidArgumentError(`"${text}" is not an integer`);
  const value = BigInt(text.trim());
  if (value < INT64_MIN || value > INT64_MAX) throw new InvalidArgumentError(`${text} is outside the signed 64-bit range`);
  return value;
}

/** An exact unsigned 64-bit integer (an offset or count). */
export function parseUint64(text: string): bigint {
  if (!/^\d+$/.test(text.trim())) throw new InvalidArgumentError(`"${text}" is not a non-negative integer`);
  const value = BigInt(text.trim());
  if (value > UINT64_MAX) throw new InvalidArgumentError(`${text} is outside the unsigned 64-bit range`);
  return value;
}
