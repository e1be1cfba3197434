/**
 * A kill during the very first start must not brick the database (issue 10 §1). On fresh databases, the real CLI
 * (`mathledger-cli node status`, which prepares the database as the web server and the worker do) is SIGKILLed with
 * its process group at a random moment of its start, then started again: every second start must work and leave the
 * database fully migrated with its registry seeded.
 *
 * Kill moments are spread uniformly over a measured full start, so they land before, during and after the
 * migrations; the test prints where each kill left the database. (Each migration commits with its record, so a kill
 * can only stop between migrations; migrate-recovery.test.ts covers the half-recorded states older versions left.)
 */
import { spawn } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, runBin } from "../../cli/test-support/run-bin";
import { createDatabaseIfMissing, dropDatabaseIfExists, resolveServerUrl, withDatabase } from "./database-url";
import { localMigrations, migrationState } from "./migrate";
import { uniqueTestDatabaseName } from "./test-database";

const RUNS = 20;

let serverUrl: string;
const databases: string[] = [];

beforeAll(async () => {
  serverUrl = await resolveServerUrl();
});

afterAll(async () => {
  for (const name of databases) await dropDatabaseIfExists(serverUrl, name).catch(() => undefined);
});

async function freshUrl(): Promise<string> {
  const name = uniqueTestDatabaseName();
  await createDatabaseIfMissing(serverUrl, name);
  databases.push(name);
  return withDatabase(serverUrl, name);
}

/** Starts `node status` in its own process group and SIGKILLs the group after `delayMs`. */
function startAndKill(url: string, delayMs: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, "node", "status"], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: "ignore",
      detached: true,
    });
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* it had already finished */
      }
    }, delayMs);
    child.on("exit", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** How far a database got: migrations recorded as finished, and whether the registry holds epochs. */
async function progress(url: string): Promise<{ applied: number; failed: number; seeded: boolean }> {
  const state = await migrationState(url);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ seeded: boolean }>(
      "SELECT to_regclass('epochs') IS NOT NULL AND EXISTS (SELECT 1 FROM epochs) AS seeded",
    ).catch(() => ({ rows: [{ seeded: false }] }));
    return { applied: state.applied.length, failed: state.failed.length, seeded: rows[0].seeded };
  } finally {
    await client.end();
  }
}

describe("a SIGKILL at a random moment of the first start", () => {
  it(`never leaves a database that a later start cannot open (${RUNS} fresh databases)`, async () => {
    // Calibrate: how long a full first start takes on this machine now.
    const calibrationUrl = await freshUrl();
    const t0 = performance.now();
    const first = await runBin(["node", "status"], { env: { DATABASE_URL: calibrationUrl } });
    const fullStartMs = performance.now() - t0;
    expect(first.code, first.stderr).toBe(0);

    const outcomes: string[] = [];
    let partial = 0;
    for (let run = 0; run < RUNS; run++) {
      const url = await freshUrl();
      const delayMs = Math.round(100 + Math.random() * fullStartMs);
      await startAndKill(url, delayMs);
      const after = await progress(url);
      const complete = after.applied === localMigrations().length && after.failed === 0 && after.seeded;
      if (!complete && (after.applied > 0 || after.failed > 0)) partial++;
      outcomes.push(`kill at ${delayMs} ms: ${after.applied} migrations, ${after.seeded ? "seeded" : "not seeded"}`);

      const again = await runBin(["node", "status"], { env: { DATABASE_URL: url } });
      expect(again.code, `run ${run} (${outcomes.at(-1)}): ${again.stderr}`).toBe(0);
      const fixed = await progress(url);
      expect(fixed).toEqual({ applied: localMigrations().length, failed: 0, seeded: true });
    }
    console.log(
      `first-start kills: full start ${Math.round(fullStartMs)} ms; ${partial}/${RUNS} kills left a partly prepared ` +
        `database, all reopened\n  ${outcomes.join("\n  ")}`,
    );
  }, 300_000);
});
