/** The outcome of one storage fault or damaged-file case. */
export interface FaultCaseResult {
  readonly name: string;
  readonly passed: boolean;
  /** What happened, e.g. the status and message the client got, or what went wrong. */
  readonly detail: string;
}

/** Runs `body`; its thrown error becomes a failed case with the error's message. */
export async function faultCase(name: string, body: () => Promise<string>): Promise<FaultCaseResult> {
  try {
    return { name, passed: true, detail: await body() };
  } catch (error: unknown) {
    return { name, passed: false, detail: error instanceof Error ? error.message : String(error) };
  }
}

/** Throws `message` unless `condition` holds (fault cases report instead of asserting). */
export function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
