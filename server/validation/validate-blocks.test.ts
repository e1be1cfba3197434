/**
 * Validation on demand through the tRPC router (`consensus.validate`), against a real PostgreSQL holding the fixture
 * chain: every violation code, predecessors from the store, an inline registry, and nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { TRPCError } from "@trpc/server";

import { EPOCHS_ALL_VERSIONS, singleEpochRegistry } from "../../lib/consensus/test-chains";
import { FIXTURE_CHAIN, violationCases } from "../../lib/consensus/violation-fixtures";
import { nobleHashSuite } from "../../lib/crypto/hash-algorithms";
import { blockContentId } from "../../lib/consensus/block";
import { compareReports, validateForReport } from "../../lib/validation/validation-report";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { closePgPool, createPgPool } from "../db/pg-pool";
import { createCaller } from "../api/root";
import { createTRPCContext } from "../api/trpc";
import { requestFor, seedFixtureChain, tableCounts, withUnknownRuleVersion } from "./test-support";

let db: TestDatabase;
let pool: pg.Pool;
let counts: Record<string, number>;
const savedUrl = process.env.DATABASE_URL;
const caller = createCaller(() => createTRPCContext({ headers: new Headers() }));

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  await seedFixtureChain(pool);
  counts = await tableCounts(pool);
  process.env.DATABASE_URL = db.url;
  await closePgPool();
});
afterAll(async () => {
  await closePgPool();
  await pool?.end();
  await db?.drop();
  if (savedUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedUrl;
});

describe("consensus.validate", () => {
  it("finds every violation code the core defines, with the default predecessor from the store", async () => {
    for (const c of violationCases()) {
      const response =
        c.code === "UNKNOWN_RULE_VERSION"
          ? await withUnknownRuleVersion(pool, () => caller.consensus.validate({ blocks: [c.block] }))
          : await caller.consensus.validate(requestFor(c));
      const [result] = response.results;
      expect(result.violations.map((v) => v.code), c.code).toEqual(Array(c.count).fill(c.code));
      expect(result.verdict).toBe(c.code === "UNKNOWN_FIELD" || c.code === "TIMESTAMP_IN_FUTURE" ? "VALID" : "INVALID");
      for (const v of result.violations) expect(Object.keys(v).sort()).toEqual(["actual", "code", "expected", "field", "message", "severity"]);
      if (c.prev && c.code !== "NO_EPOCH") expect(response.context.predecessor).toMatchObject({ source: "store", block: { block_number: c.prev.block_number } });
    }
    expect(await tableCounts(pool)).toEqual(counts);
  });

  it("judges the stored chain valid, links each block's stored twin, and gives the hashes", async () => {
    const response = await caller.consensus.validate({ blocks: [...FIXTURE_CHAIN] });
    expect(response.summary).toEqual({ checked: 25, valid: 25, invalid: 0, violations: 0, stored: 25 });
    const r = response.results[12];
    expect(r).toMatchObject({ block_number: 12, verdict: "VALID", epoch: { rule_version: "v2-dual-required", algorithm_name: "SHA3-256" } });
    expect(r.stored).toEqual({ content_id: blockContentId(FIXTURE_CHAIN[12], nobleHashSuite), block_number: 12, canonical: true, verdict: "VALID", link: "/blocks/12" });
    expect(r.legacy_hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(r.pq_hash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(response.context).toMatchObject({ registry: { source: "node" }, predecessor: { source: "none" }, implementation: expect.stringMatching(/wasm$/) });
  });

  it("takes the predecessor from the store by number or content id, inline, or not at all", async () => {
    const block = FIXTURE_CHAIN[13];
    const byNumber = await caller.consensus.validate({ blocks: [block], predecessor: { block_number: 12 } });
    expect(byNumber.results[0]).toMatchObject({ verdict: "VALID", predecessor_checked: true });
    const wrong = await caller.consensus.validate({ blocks: [block], predecessor: { block_number: 11 } });
    expect(wrong.results[0].violations.map((v) => v.code)).toContain("BLOCK_NUMBER_DISCONTINUITY");
    const byId = await caller.consensus.validate({ blocks: [block], predecessor: { content_id: blockContentId(FIXTURE_CHAIN[12], nobleHashSuite) } });
    expect(byId.context.predecessor).toMatchObject({ source: "store", block: { block_number: 12 } });
    expect(byId.results[0].verdict).toBe("VALID");
    const inline = await caller.consensus.validate({ blocks: [block], predecessor: { block: { ...FIXTURE_CHAIN[12] } } });
    expect(inline.context.predecessor.source).toBe("inline");
    const none = await caller.consensus.validate({ blocks: [block], predecessor: null });
    expect(none.results[0].predecessor_checked).toBe(false);
  });

  it("under an inline registry, finds a stored valid block invalid, and still links its stored twin", async () => {
    const response = await caller.consensus.validate({ blocks: [FIXTURE_CHAIN[12]], registry: singleEpochRegistry("v1-legacy") as unknown[] });
    const [r] = response.results;
    expect(r.verdict).toBe("INVALID");
    expect(new Set(r.violations.map((v) => v.code))).toEqual(new Set(["UNEXPECTED_PQ_FIELD"]));
    expect(r.stored).toMatchObject({ verdict: "VALID", canonical: true, link: "/blocks/12" });
    expect(response.context.registry.source).toBe("inline");
  });

  it("gives the context a client needs to repeat the validation and get the same report", async () => {
    const blocks = [...FIXTURE_CHAIN.slice(10, 15), ...violationCases().slice(0, 5).map((c) => c.block)];
    const response = await caller.consensus.validate({ blocks });
    const { context } = response;
    const again = validateForReport(blocks, { epochs: context.registry.epochs, prev: context.predecessor.block, suite: nobleHashSuite, now: context.now });
    expect(compareReports(response.results, again)).toEqual([]);
  });

  it("refuses a bad predecessor, a bad registry and too many blocks as BAD_REQUEST, writing nothing", async () => {
    const refusal = async (input: unknown) => {
      try {
        await caller.consensus.validate(input as never);
      } catch (error) {
        expect(error).toBeInstanceOf(TRPCError);
        return { code: (error as TRPCError).code, message: (error as TRPCError).message };
      }
      throw new Error("expected a refusal");
    };
    expect(await refusal({ blocks: [FIXTURE_CHAIN[3]], predecessor: { block_number: 999 } })).toEqual({ code: "BAD_REQUEST", message: "predecessor: this node stores no canonical block 999" });
    expect(await refusal({ blocks: [FIXTURE_CHAIN[3]], predecessor: { block: { block_number: "x" } } })).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^predecessor.block is not a well-formed block header/) });
    const gap = [{ ...EPOCHS_ALL_VERSIONS[0] }, { ...EPOCHS_ALL_VERSIONS[2] }];
    expect(await refusal({ blocks: [FIXTURE_CHAIN[3]], registry: gap })).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/^registry: EPOCH_GAP: /) });
    expect((await refusal({ blocks: Array(1001).fill({}) })).code).toBe("BAD_REQUEST");
    expect((await refusal({ blocks: [] })).code).toBe("BAD_REQUEST");
    expect(await tableCounts(pool)).toEqual(counts);
  });
});
