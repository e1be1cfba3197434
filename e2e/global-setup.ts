/**
 * Playwright global setup: starts the whole product on a fresh database (see support/stack.ts) and hands the tests
 * its address (BASE_URL, read by playwright.config.ts in the test workers) and database environment
 * (MLPQ_E2E_DATABASE_ENV, for the import helper). The returned function is the global teardown: it stops every
 * process the product started and deletes the database.
 */
import { startStack } from "./support/stack";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const stack = await startStack();
  process.env.BASE_URL = stack.baseUrl;
  process.env.MLPQ_E2E_DATABASE_ENV = JSON.stringify(stack.databaseEnv);
  return stack.stop;
}
