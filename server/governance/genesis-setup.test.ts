import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { decryptKeyFile } from "../../lib/governance/key-file";
import { testGenesis } from "../../lib/governance/test-members";
import { asyncCodeOf } from "../../lib/governance/test-codes";
import { createPgPool } from "../db/pg-pool";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { ensureGovernanceGenesis } from "./genesis-setup";
import { loadGovernance } from "./governance-store";

let db: TestDatabase;
let pool: pg.Pool;
let dir: string;
beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-gov-"));
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe("ensureGovernanceGenesis", () => {
  it("does nothing without a genesis file when the demo is off", async () => {
    expect(await ensureGovernanceGenesis(pool, { env: {}, dataDir: dir, demo: false })).toEqual({ source: "none", networkId: null });
  });
  it("generates the demo genesis (7 council, 3 reviewers, 2 proposers, 10 voters, 1 operator) with private key files that open with the printed passphrase", async () => {
    const setup = await ensureGovernanceGenesis(pool, { env: {}, dataDir: dir, demo: true });
    expect(setup.source).toBe("demo");
    const registry = await loadGovernance(pool);
    const count = (role: string) => [...registry.members.values()].filter((m) => m.roles.includes(role as never)).length;
    expect([count("council"), count("reviewer"), count("proposer"), count("voter") - count("council"), count("operator")]).toEqual([7, 3, 2, 10, 1]);
    const keysDir = setup.demo!.keysDir;
    expect(readdirSync(keysDir).filter((f) => f.endsWith(".key"))).toHaveLength(23);
    expect(statSync(path.join(keysDir, "ada.key")).mode & 0o777).toBe(0o600);
    const { key, memberId } = await decryptKeyFile(JSON.parse(readFileSync(path.join(keysDir, "ada.key"), "utf8")), setup.demo!.passphrase);
    expect(memberId).toBe("ada");
    expect(key.publicKeys).toEqual(registry.members.get("ada")!.keys);
  });
  it("keeps the stored genesis on the next start and reports the demo passphrase again", async () => {
    const again = await ensureGovernanceGenesis(pool, { env: {}, dataDir: dir, demo: true });
    expect(again.source).toBe("database");
    expect(again.demo?.passphrase).toBeTruthy();
  });
  it("refuses a genesis file different from the stored one, and a malformed file", async () => {
    const file = path.join(dir, "other.json");
    writeFileSync(file, JSON.stringify(testGenesis()));
    expect(await asyncCodeOf(() => ensureGovernanceGenesis(pool, { env: { MATHLEDGER_GOVERNANCE_GENESIS: file }, dataDir: dir, demo: true }))).toBe("INVALID_GENESIS");
    writeFileSync(file, "{ not json");
    expect(await asyncCodeOf(() => ensureGovernanceGenesis(pool, { env: { MATHLEDGER_GOVERNANCE_GENESIS: file }, dataDir: dir, demo: true }))).toBe("INVALID_GENESIS");
  });
});
