/**
 * Playwright global setup: starts the whole product on a fresh database (see support/stack.ts) and hands the tests
 * its address (BASE_URL, read by playwright.config.ts in the test workers), database environment
 * (MLPQ_E2E_DATABASE_ENV, for the import helper) and log (MLPQ_E2E_SERVER_LOG). The returned function is the global
 * teardown: it stops every process the product started and deletes the database, then checks the whole run's server
 * log (kept as test-results/e2e-server.log) for the stack's secrets, failing the run if one leaked.
 */
import path from "node:path";

import { describeFindings, scanFile, stackSecrets } from "./support/secrets";
import { projectRoot, startStack } from "./support/stack";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const stack = await startStack();
  process.env.BASE_URL = stack.baseUrl;
  process.env.MLPQ_E2E_DATABASE_ENV = JSON.stringify(stack.databaseEnv);
  process.env.MLPQ_E2E_SERVER_LOG = stack.logFile;
  return async () => {
    // Read before stop(), which deletes the data directory holding the node token and the database password.
    const secrets = stackSecrets(stack.databaseEnv);
    await stack.stop();
    const findings = scanFile(path.join(projectRoot(), "test-results", "e2e-server.log"), secrets);
    if (findings.length) throw new Error(`secrets leaked into the server log of this e2e run:\n${describeFindings(findings)}`);
  };
}
