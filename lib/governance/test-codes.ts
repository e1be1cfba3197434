import { isAppError } from "../errors";

/** The AppError code `fn` throws (undefined when it does not throw): tests compare reason codes, not messages. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isAppError(error) ? error.code : `NOT_APP_ERROR: ${(error as Error).message}`;
  }
  return undefined;
}

export async function asyncCodeOf(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (error) {
    return isAppError(error) ? error.code : `NOT_APP_ERROR: ${(error as Error).message}`;
  }
  return undefined;
}
