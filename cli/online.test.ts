/**
 * End-to-end tests of the online CLI (issue 3 §6): the real bin/mathledger-cli.mjs in a child process, with
 * DATABASE_URL pointing at a fresh PostgreSQL database seeded through the ingest service: a 50-block chain across
 * two epoch boundaries (v1-legacy -> v2-dual-required with SHA3-256 -> v3-pq-only with BLAKE3 scheduled ahead of the
 * tip), with an invalid competing block stored beside block 25. Each command's text, JSON and exit code; then, last,
 * the same commands against a tampered database. `import` has its own file (import.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { makeEpoch, type Epoch } from "../lib/consensus/epochs";
import { sealBlock } from "../lib/consensus/seal-block";
import type { Block } from "../lib/consensus/block";
import { generateStatements } from "../lib/devnet/statement-generator";
import { loadWasmHashSuite } from "../lib/crypto/wasm-hash-suite";
import { createTestDatabase, type TestDatabase } from "../server/db/test-database";
import { createPgPool } from "../server/db/pg-pool";
import { replaceEpochRegistry } from "../server/chain/epoch-registry";
import { beat } from "../server/chain/heartbeat";
import { ingestBlocks } from "../server/ingest/ingest-blocks";
import { runBin, type BinResult } from "./test-support/run-bin";
import { PQ_SUPPORT_LINE } from "./commands/pq-status";

const T0 = 1_750_000_000;
const GOVERNANCE = "0x" + "ab".repeat(32);
const EPOCHS: Epoch[] = [
  makeEpoch(0, "v1-legacy", 0, T0, null, 19),
  makeEpoch(20, "v2-dual-required", 1, T0 + 100, null, 59),
  makeEpoch(60, "v3-pq-only", 2, T0 + 200, GOVERNANCE),
];
const TIP = 49;

let db: TestDatabase;
let pool: pg.Pool;
const chain: Block[] = [];

const cli = (...args: string[]) => runBin(args, { env: { DATABASE_URL: db.url } });
const json = (result: BinResult) => JSON.parse(result.stdout);

/** An input error: exit 2, nothing on stdout, exactly one `mathledger-cli: ...` line on stderr, no stack frames. */
function expectInputError(result: BinResult, pattern: RegExp): void {
  expect(result.code, result.stdout + result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderrLines).toHaveLength(1);
  expect(result.stderrLines[0]).toMatch(/^mathledger-cli: /);
  expect(result.stderrLines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

/** A successful run: the exit code, and nothing on stderr. */
function expectExit(result: BinResult, code: number): void {
  expect(result.code, result.stdout + result.stderr).toBe(code);
  expect(result.stderr).toBe("");
}

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  const suite = await loadWasmHashSuite();
  await replaceEpochRegistry(pool, EPOCHS);
  let prev: Block | null = null;
  for (let n = 0; n <= TIP; n++) {
    prev = sealBlock({ statements: generateStatements({ seed: 7, blockNumber: n, maxCount: 8 }), epochs: EPOCHS, prev, timestamp: T0 + 10 * n });
    chain.push(prev);
  }
  const corrupt = { ...chain[25], statements: ["a statement that is not in the tree"] };
  await ingestBlocks(pool, [...chain.slice(0, 26), corrupt, ...chain.slice(26)], { source: "import", suite });
  // The node's worker records the relay id it runs with (its web server's PORT, which this CLI's shell lacks).
  await beat(pool, "online-test", "worker", "online-test-node-4950");
});
afterAll(async () => {
  await pool?.end();
  await db?.drop();
});

describe("node status", () => {
  it("reports the tip, epoch, next epoch, health, throughput, heartbeat, totals and the database with its password masked", async () => {
    const [text, doc] = await Promise.all([cli("node", "status"), cli("node", "status", "--json")]);
    expectExit(text, 0);
    const lines = text.stdout.split("\n");
    expect(lines[0]).toMatch(/^Node status at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(text.stdout).toContain(`  tip         block ${TIP}, 0x`);
    expect(text.stdout).toContain("  epoch       v2-dual-required, SHA3-256 (0x01), blocks 20-59\n");
    expect(text.stdout).toContain("  next epoch  v3-pq-only, BLAKE3 (0x02), blocks 60 onwards; activates in 11 blocks\n");
    expect(text.stdout).toMatch(/  health      CRITICAL: 2 CRITICAL violation\(s\) among recent blocks\n/);
    expect(text.stdout).toMatch(/  worker      last heartbeat [\d.]+ m?s ago\n/);
    expect(text.stdout).toContain("  stored      51 blocks (50 canonical, 1 invalid), 2 violations, 0 reorgs\n");
    // A server with trust auth (CI's) has no password in its URL: then there is nothing to mask.
    const password = new URL(db.url).password;
    expect(text.stdout).toContain(`  database    ${password ? db.url.replace(password, "***") : db.url}`);
    if (password) expect(text.stdout + doc.stdout).not.toContain(password);

    expectExit(doc, 0);
    expect(json(doc)).toMatchObject({
      current_block: TIP,
      current_epoch: { start_block: 20, end_block: 59, rule_version: "v2-dual-required", algorithm_name: "SHA3-256" },
      next_transition: { start_block: 60, rule_version: "v3-pq-only", blocks_remaining: 11 },
      network_health: "CRITICAL",
      totals: { blocks: 51, canonical: 50, invalid: 1, violations: 2, reorgs: 0 },
      database: password ? db.url.replace(password, "***") : db.url,
      // The id the node's worker recorded, not one derived from this shell's environment.
      node_id: "online-test-node-4950",
    });
    expect(json(doc).current_block_hash).toMatch(/^0x[0-9a-f]{64}$/);
  });
});

describe("pq status", () => {
  it('prints "PQ migration support: ENABLED" first, then the current epoch, the next transition and the registry', async () => {
    const [text, doc] = await Promise.all([cli("pq", "status"), cli("pq", "status", "--json")]);
    expectExit(text, 0);
    expect(text.stdout.split("\n")[0]).toBe("PQ migration support: ENABLED");
    expect(PQ_SUPPORT_LINE).toBe("PQ migration support: ENABLED");
    expect(text.stdout).toContain("  current epoch    v2-dual-required, SHA3-256 (0x01), blocks 20-59\n");
    expect(text.stdout).toContain("  next transition  activation at block 60: v3-pq-only, BLAKE3 (0x02); 11 blocks remaining\n");
    expect(text.stdout).toMatch(/Epoch registry \(3 epochs\):\n {2}blocks 0-19 +v1-legacy +SHA-256 \(0x00\)\n {2}blocks 20-59 +v2-dual-required +SHA3-256 \(0x01\) +<- current\n {2}blocks 60 onwards +v3-pq-only +BLAKE3 \(0x02\) +governance 0xabab/);

    expectExit(doc, 0);
    expect(json(doc)).toMatchObject({
      pq_migration_support: "ENABLED",
      current_block: TIP,
      current_epoch: { rule_version: "v2-dual-required", algorithm_id: 1, requirements: { legacy_chain: "required", pq_chain: "required", dual_commitment: "required", primary_chain: "legacy" } },
      next_transition: { block_number: 60, kind: "activation", blocks_remaining: 11, epoch: { rule_version: "v3-pq-only", algorithm_name: "BLAKE3" } },
    });
    expect(json(doc).registry).toEqual(EPOCHS);
  });
});

describe("validate-block --block-number", () => {
  it("validates stored blocks against their stored predecessors on both sides of a boundary, as the file form prints", async () => {
    const [genesis, activation, asJson] = await Promise.all([
      cli("validate-block", "--block-number", "0"),
      cli("validate-block", "--block-number", "20"),
      cli("validate-block", "--block-number", "25", "--json"),
    ]);
    expectExit(genesis, 0);
    expect(genesis.stdout).toBe("VALID: block 0 (epoch from block 0: v1-legacy, SHA-256; links checked)\n");
    expectExit(activation, 0);
    expect(activation.stdout).toBe("VALID: block 20 (epoch from block 20: v2-dual-required, SHA3-256; links checked)\n");
    expectExit(asJson, 0);
    expect(json(asJson)).toEqual({ verdict: "VALID", block_number: 25, epoch: EPOCHS[1], predecessor_checked: true, violations: [] });
  });

  it("refuses a height with no canonical block, both sources at once, database-only flags with it, and neither source (exit 2)", async () => {
    const results = await Promise.all([
      cli("validate-block", "--block-number", "50"),
      cli("validate-block", "--block-number", "3", "--file", "b.json"),
      cli("validate-block", "--block-number", "3", "--epochs", "e.json"),
      cli("validate-block"),
      cli("validate-block", "--file", "b.json"),
    ]);
    expectInputError(results[0], /: no canonical block 50 \(the tip is 49\)$/);
    expectInputError(results[1], /give either --file FILE or --block-number N, not both/);
    expectInputError(results[2], /--epochs goes with --file; --block-number reads the registry and the predecessor from the database/);
    expectInputError(results[3], /give the block: --file FILE --epochs FILE, or --block-number N/);
    expectInputError(results[4], /--epochs FILE is required with --file/);
  });
});

describe("epoch-info --block-number", () => {
  it("names the epoch, the activation block and its transition, and the requirements in words", async () => {
    const [activation, inside, ahead, legacy] = await Promise.all([
      cli("epoch-info", "--block-number", "20"),
      cli("epoch-info", "--block-number", "33", "--json"),
      cli("epoch-info", "--block-number", "60", "--json"),
      cli("epoch-info", "--block-number", "7"),
    ]);
    expectExit(activation, 0);
    expect(activation.stdout).toMatch(/^Block 20 is the activation block of epoch 2 of 3\n/);
    expect(activation.stdout).toContain("  transition  activation from v1-legacy, SHA-256 (0x00) at block 20\n");
    expect(activation.stdout).toContain("  position    29 blocks below the tip (49)\n");
    expect(activation.stdout).toContain("  dual commitment  required: SHA3-256(0x03 || 0x00 || merkle_root || 0x01 || pq_merkle_root)\n");
    expect(activation.stdout).toContain("pq_prev_hash is the SHA3-256 hash of block 19 and prev_hash its SHA-256 hash");

    expectExit(inside, 0);
    expect(json(inside)).toMatchObject({ block_number: 33, epoch_index: 2, epoch: EPOCHS[1], is_activation_block: false, transition: null, tip: TIP });
    expectExit(ahead, 0);
    expect(json(ahead)).toMatchObject({
      is_activation_block: true,
      epoch: EPOCHS[2],
      transition: { kind: "activation", from: EPOCHS[1] },
      requirements: { legacy_chain: "forbidden", pq_chain: "required", dual_commitment: "forbidden", primary_chain: "pq" },
    });
    expectExit(legacy, 0);
    expect(legacy.stdout).toMatch(/^Block 7 is in epoch 1 of 3, whose activation block is 0\n/);
    expect(legacy.stdout).toContain("  PQ chain         forbidden: pq_algorithm, pq_prev_hash and pq_merkle_root must be absent\n");
  });
});

describe("block-info --block-number", () => {
  it("prints every header field, both hashes, the statement count, the verdict, and the other block at that height", async () => {
    const [text, doc] = await Promise.all([cli("block-info", "--block-number", "25"), cli("block-info", "--block-number", "25", "--json")]);
    const b = chain[25];
    expectExit(text, 0);
    expect(text.stdout).toMatch(/^Block 25: canonical, VALID\n/);
    const fields: Array<[string, string | null]> = [
      ["prev_hash", b.prev_hash],
      ["merkle_root", b.merkle_root],
      ["pq_algorithm", "0x01 (SHA3-256)"],
      ["pq_prev_hash", b.pq_prev_hash],
      ["pq_merkle_root", b.pq_merkle_root],
      ["dual_commitment", b.dual_commitment],
      ["statements", String(b.statements.length)],
    ];
    for (const [label, value] of fields) {
      expect(text.stdout).toContain(`  ${label.padEnd(17)}${value}\n`);
    }
    expect(text.stdout).toMatch(/ {2}legacy hash +0x[0-9a-f]{64} \(SHA-256 header hash\)\n {2}pq hash +0x[0-9a-f]{64} \(SHA3-256 header hash\)\n/);
    expect(text.stdout).toContain("Violations: none\n");
    expect(text.stdout).toMatch(/Other blocks stored at height 25 \(1\):\n {2}0x[0-9a-f]{64} {2}INVALID, 2 violations, not canonical, import, received /);

    expectExit(doc, 0);
    const detail = json(doc);
    expect(detail).toMatchObject({ block_number: 25, canonical: true, verdict: "VALID", statement_count: b.statements.length, dual_commitment: b.dual_commitment, violations: [] });
    expect(detail.siblings).toHaveLength(1);
    expect(detail.siblings[0]).toMatchObject({ canonical: false, verdict: "INVALID", violation_count: 2 });
    expect(detail).not.toHaveProperty("statements");
  });

  it("refuses a height above the tip (exit 2)", async () => {
    expectInputError(await cli("block-info", "--block-number", "1000"), /: no canonical block 1000 \(the tip is 49\)$/);
  });
});

describe("verify-dual-commitment --block-number", () => {
  it("is VALID (exit 0) when both roots and the commitment recomputed from the stored statements match", async () => {
    const [text, doc] = await Promise.all([cli("verify-dual-commitment", "--block-number", "30"), cli("verify-dual-commitment", "--block-number", "30", "--json")]);
    expectExit(text, 0);
    expect(text.stdout).toMatch(/^VALID: the dual commitment of block 30 binds the SHA-256 and SHA3-256 Merkle roots of its \d+ statements\n/);
    expect(text.stdout).toContain(`  dual commitment  ${chain[30].dual_commitment} = dual_commitment`);
    expectExit(doc, 0);
    expect(json(doc)).toMatchObject({
      valid: true,
      algorithm: { id: 1, name: "SHA3-256" },
      legacy_root: { computed: chain[30].merkle_root, matches: true },
      pq_root: { computed: chain[30].pq_merkle_root, matches: true },
      dual_commitment: { computed: chain[30].dual_commitment, stored: chain[30].dual_commitment, matches: true },
      binds_stored_roots: true,
      reason: null,
    });
  });

  it("is INVALID (exit 1) for a block whose epoch has no dual commitment, saying so", async () => {
    const [text, doc] = await Promise.all([cli("verify-dual-commitment", "--block-number", "5"), cli("verify-dual-commitment", "--block-number", "5", "--json")]);
    expect(text.code).toBe(1);
    expect(text.stdout).toBe("INVALID: block 5 is in a v1-legacy epoch (blocks 0-19), which has no dual commitment: there is no PQ chain yet\n");
    expect(doc.code).toBe(1);
    expect(json(doc)).toMatchObject({ valid: false, algorithm: null, dual_commitment: null });
  });

  it("refuses a height with no canonical block (exit 2)", async () => {
    expectInputError(await cli("verify-dual-commitment", "--block-number", "99"), /no canonical block 99 \(the tip is 49\)/);
  });
});

describe("verify-chain", () => {
  it("is VALID over the whole chain across both epoch boundaries, and over a range linked to its stored predecessor", async () => {
    const [all, part] = await Promise.all([cli("verify-chain", "--start-block", "0", "--end-block", "49"), cli("verify-chain", "--start-block", "18", "--end-block", "22", "--json")]);
    expectExit(all, 0);
    expect(all.stdout).toMatch(/^VALID: blocks 0-49 \(50 blocks; 2 epochs: v1-legacy 0-19, v2-dual-required 20-59; from genesis\)\nchecked 50 blocks in /);
    expectExit(part, 0);
    expect(json(part)).toMatchObject({ verdict: "VALID", start_block: 18, end_block: 22, checked: 5, predecessor_checked: true, invalid_count: 0, missing: [] });
  });

  it("refuses an inverted range and a range past the tip (exit 2), without a progress bar on a pipe", async () => {
    const [inverted, pastTip] = await Promise.all([cli("verify-chain", "--start-block", "9", "--end-block", "3"), cli("verify-chain", "--start-block", "0", "--end-block", "60")]);
    expectInputError(inverted, /--end-block 3 is below --start-block 9/);
    expectInputError(pastTip, /no canonical block 60 \(the tip is 49\); verify up to --end-block 49/);
  });
});

describe("an unreachable database", () => {
  it("is one line naming the database with its password masked, exit 2, for every online command", async () => {
    const env = { DATABASE_URL: "postgresql://operator:s3cret@127.0.0.1:1/mathledger" };
    const results = await Promise.all([
      runBin(["node", "status"], { env }),
      runBin(["verify-chain", "--start-block", "0", "--end-block", "1"], { env }),
      runBin(["block-info", "--block-number", "1", "--json"], { env }),
    ]);
    for (const result of results.slice(0, 2)) {
      expectInputError(result, /^mathledger-cli: cannot open the database \(DATABASE_URL postgresql:\/\/operator:\*\*\*@127\.0\.0\.1:1\/mathledger\): .*ECONNREFUSED/);
      expect(result.stderr).not.toContain("s3cret");
    }
    expect(results[2].code).toBe(2);
    expect(json(results[2]).error).toMatchObject({ code: "DATABASE_UNAVAILABLE", exit_code: 2 });
  });
});

// Last: these tests change the database.
describe("against a tampered database", () => {
  it("verify-chain lists each invalid block with its violations and the missing heights (exit 1); the others agree", async () => {
    await pool.query(
      "UPDATE statements SET text = 'tampered' WHERE position = 0 AND block_id = (SELECT id FROM blocks WHERE canonical AND block_number = 30)",
    );
    await pool.query("DELETE FROM blocks WHERE canonical AND block_number IN (40, 41)");
    const [text, doc, validate, dual] = await Promise.all([
      cli("verify-chain", "--start-block", "0", "--end-block", "49"),
      cli("verify-chain", "--start-block", "0", "--end-block", "49", "--json"),
      cli("validate-block", "--block-number", "30"),
      cli("verify-dual-commitment", "--block-number", "30", "--json"),
    ]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^INVALID: blocks 0-49: 1 of 48 blocks invalid, 2 heights missing\n\nblock 30:\n {2}CRITICAL LEGACY_MERKLE_ROOT_MISMATCH field merkle_root: merkle_root is 0x[0-9a-f]{64} but the SHA-256 Merkle root of the \d+ statements is 0x[0-9a-f]{64}\n {2}CRITICAL PQ_MERKLE_ROOT_MISMATCH field pq_merkle_root: /);
    expect(text.stdout).toContain("\nmissing (no canonical block): 40-41\n");
    expect(doc.code).toBe(1);
    const report = json(doc);
    expect(report).toMatchObject({ verdict: "INVALID", checked: 48, invalid_count: 1, missing: [{ from: 40, to: 41 }], missing_count: 2, truncated: false });
    expect(report.invalid_blocks.map((b: { block_number: number }) => b.block_number)).toEqual([30]);
    expect(report.invalid_blocks[0].violations.map((v: { code: string }) => v.code)).toEqual(["LEGACY_MERKLE_ROOT_MISMATCH", "PQ_MERKLE_ROOT_MISMATCH"]);

    expect(validate.code).toBe(1);
    expect(validate.stdout).toMatch(/^INVALID: block 30, 2 violations \(epoch from block 20: v2-dual-required, SHA3-256; links checked\)\n\nCRITICAL LEGACY_MERKLE_ROOT_MISMATCH field merkle_root\n/);
    expect(dual.code).toBe(1);
    expect(json(dual)).toMatchObject({
      valid: false,
      legacy_root: { matches: false },
      pq_root: { matches: false },
      dual_commitment: { matches: false },
      binds_stored_roots: true,
      reason: expect.stringContaining("dual_commitment binds the stored merkle_root and pq_merkle_root, not the roots of the stored statements"),
    });

    const afterGap = await cli("validate-block", "--block-number", "42");
    expectExit(afterGap, 0);
    expect(afterGap.stdout).toContain("links to the predecessor not checked: no canonical block 41 is stored");
  });
});
