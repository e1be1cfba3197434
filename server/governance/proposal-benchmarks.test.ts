/**
 * A proposal's `benchmark_results` filled from a stored benchmark run: the node re-derives them from the run the
 * signed object names and accepts the proposal only when they match field for field (server/bench/bench-service.ts
 * checkProposalBenchmarkResults). Free JSON that claims no run is left as the proposer wrote it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { proposalBenchmarkResults } from "../../lib/bench/bench-run";
import { sampleDocument } from "../../lib/bench/test-documents";
import { isAppError } from "../../lib/errors";
import { SAMPLE_PROPOSAL_BODY } from "../../lib/governance/test-members";
import { getBenchRun, insertBenchRun } from "../bench/bench-run-repository";
import { submitEnvelope } from "./submit-envelope";
import { createGovernanceFixture, T0, type GovernanceFixture } from "./test-fixture";

let f: GovernanceFixture;
let stored: Record<string, unknown>;
beforeAll(async () => {
  f = await createGovernanceFixture({ blocks: 3 });
  const { id } = await insertBenchRun(f.pool, "run-p", sampleDocument({ started_at: "2026-12-03T11:00:00.000Z" }));
  stored = JSON.parse(JSON.stringify(proposalBenchmarkResults((await getBenchRun(f.pool, id))!)));
});
afterAll(async () => {
  await f?.close();
});

const body = (proposal_id: string, benchmark_results: Record<string, unknown>) => ({
  ...SAMPLE_PROPOSAL_BODY,
  proposal_id,
  activation_block: 150,
  epoch_parameters: { algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v2.5-pq-primary" },
  benchmark_results,
});

async function refusal(benchmark_results: Record<string, unknown>, id: string): Promise<{ code: string; message: string }> {
  try {
    await submitEnvelope(f.pool, f.sign("p1", { type: "proposal", body: body(id, benchmark_results) }), { now: T0 });
  } catch (error) {
    if (isAppError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("the proposal was accepted");
}

describe("proposal benchmark_results from a stored run", () => {
  it("accepts results equal to the stored run's, whatever their key order", async () => {
    const reordered = Object.fromEntries(Object.entries(stored).reverse());
    const r = await submitEnvelope(f.pool, f.sign("p1", { type: "proposal", body: body("BENCH-OK", reordered) }), { now: T0 });
    expect(r.status).toBe("UNDER_REVIEW");
    const { rows } = await f.pool.query("SELECT envelope FROM governance_proposals WHERE proposal_id = 'BENCH-OK'");
    expect(rows[0].envelope.message.body.benchmark_results).toEqual(stored);
  });

  it("refuses results edited after they were filled in, naming the field", async () => {
    const acceptance = (stored.acceptance as Record<string, unknown>[]).map((a, i) => (i === 0 ? { ...a, status: "PASS", value: 999 } : a));
    const r = await refusal({ ...stored, acceptance }, "BENCH-EDITED");
    expect(r.code).toBe("INVALID_PROPOSAL");
    expect(r.message).toMatch(/differ from stored benchmark run \d+ at benchmark_results\.acceptance\[0\]\.value/);
    expect((await refusal({ ...stored, passed: !stored.passed }, "BENCH-PASSED")).message).toMatch(/at benchmark_results\.passed/);
    expect((await refusal({ ...stored, extra: 1 }, "BENCH-EXTRA")).message).toMatch(/at benchmark_results\.extra/);
  });

  it("refuses a run this node has not stored, and a malformed run id", async () => {
    const missing = await refusal({ ...stored, bench_run_id: "999999" }, "BENCH-MISSING");
    expect(missing).toMatchObject({ code: "INVALID_PROPOSAL" });
    expect(missing.message).toMatch(/benchmark run 999999, which this node has not stored/);
    expect((await refusal({ source: "mathledger-pq bench", passed: true }, "BENCH-NOID")).message).toMatch(/bench_run_id must name a stored benchmark run/);
    expect((await refusal({ ...stored, bench_run_id: 1 }, "BENCH-NUM")).code).toBe("INVALID_PROPOSAL");
  });

  it("stores nothing for a refused proposal, and leaves free JSON that claims no run as written", async () => {
    const { rows } = await f.pool.query("SELECT proposal_id FROM governance_proposals ORDER BY proposal_id");
    expect(rows.map((r) => r.proposal_id)).toEqual(["BENCH-OK"]);
    const r = await submitEnvelope(f.pool, f.sign("p1", { type: "proposal", body: body("FREE-JSON", { blocks_per_second: 40 }) }), { now: T0 });
    expect(r.status).toBe("UNDER_REVIEW");
  });
});
