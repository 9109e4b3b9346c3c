/**
 * Milliseconds until a grpc-js call deadline, or undefined for none.
 * grpc-js reports "no deadline" as Infinity.
 */
export function millisecondsUntil(deadline: Date | number, now: number = Date.now()): number | undefined {
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  if (!Number.isFinite(at)) return undefined;
  return Math.max(0, at - now);
}
