/**
 * Locating an error: lib/ reports what is wrong with a value ("invalid hex ..."); the CLI knows where the value came
 * from ("--leaf-hex #2", "leaves file leaves.txt line 7") and puts that in front, keeping the error code.
 */
import { AppError, isAppError } from "../../lib/errors";

/** Runs `fn`, prefixing the message of any AppError it throws with `where` (the code is kept). */
export function withContext<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (isAppError(error)) throw new AppError(error.code, `${where}: ${error.message}`, error.details);
    throw error;
  }
}
