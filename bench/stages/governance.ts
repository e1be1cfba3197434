/**
 * Stage "governance" (issue 8, "What must be shown"): signed votes on the server.
 *
 *   - verification: the server's own path for an incoming envelope, JSON-parsed as a request body is: the main thread
 *     parses it and checks form, domain, network and signer (prepareEnvelope), and the web server's verification
 *     pool (server/governance/verify-pool.ts: one thread per core, the esbuild bundle the web server ships) checks
 *     both signatures (node:crypto's Ed25519, noble's ML-DSA-65), with enough envelopes in flight to keep every thread
 *     busy: envelopes verified per second. Beside it, the same verification on one thread (verifyEnvelope, what the
 *     server did before the pool) as the baseline of the same run.
 *   - cast-vote over HTTP (tRPC `governance.castVote`, what the portal and the CLI post): one voter at a time
 *     (sequential requests, each a new vote or a re-vote: p50/p95/p99), then 50 voters at once, each sending its
 *     own votes in nonce order (closed loop), for votes per second sustained; beside a static file at the same
 *     concurrency (the server's floor on this machine).
 *   - afterwards every vote is counted from the server's store (`governance.listVotes`): each accepted vote must be
 *     stored exactly once (as many rows as 200 answers, all digests distinct).
 *
 * The server: this stage starts the product itself (e2e/support/stack.ts: `npm start` on a fresh database, building
 * when stale) with the devnet off, rate limits off (MATHLEDGER_RATE_LIMITS=off, as any load test must) and a bench
 * genesis (MATHLEDGER_GOVERNANCE_GENESIS) holding a proposer, three reviewers and 60 voters whose deterministic test
 * keys (lib/governance/test-members.ts) the stage signs with. Off the default list: `npm run bench -- --stage
 * governance`. The --quick test (governance.test.ts) hands in an in-process tRPC server instead of `npm start`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Measurement, Metric, StageResult } from "../../lib/bench/bench-result";
import type { ReportTable } from "../../lib/bench/report-table";
import { summarize } from "../../lib/bench/statistics";
import type { SignedEnvelope } from "../../lib/governance/envelope";
import { verifyEnvelope, verifyEnvelopeWith } from "../../lib/governance/envelope";
import { parseGenesis, type Genesis, type Member } from "../../lib/governance/members";
import { messageDigest } from "../../lib/governance/message";
import { SAMPLE_PROPOSAL_BODY, signAs, TEST_NETWORK, testMember } from "../../lib/governance/test-members";
import { nodeEd25519Verify } from "../../server/governance/node-ed25519";
import { defaultVerifyThreads, VerifyPool } from "../../server/governance/verify-pool";
import { measureGroup, type SamplingPlan } from "../harness/measure";
import { productCpuReader, type CpuSplit } from "./server-cpu";
import { createHttpClient } from "../harness/http-client";
import { formatNumber } from "../harness/number-format";
import type { BenchStage, StageContext } from "../harness/stage";

export const CONCURRENT_VOTERS = 50;
const VOTER_COUNT = 60;
const REVIEW_SECTIONS = { code_review: {}, test_review: {}, benchmark_review: {}, security_review: {}, docs_review: {} };

interface GovernancePlan {
  sampling: SamplingPlan;
  /** Distinct signed envelopes the verification cycles through. */
  verifyEnvelopes: number;
  /** Pool throughput: rounds, and how long each lasts (after one untimed round as warm-up). */
  poolRounds: number;
  poolRoundMs: number;
  warmupVotes: number;
  /** Sequential votes for the one-voter latency. */
  oneVoterVotes: number;
  /** Votes per voter with 50 voters at once. */
  perVoter: number;
}

const FULL: GovernancePlan = { sampling: { warmupMs: 500, minSampleMs: 50, samples: 30, minSamples: 10, maxMs: 15_000 }, verifyEnvelopes: 200, poolRounds: 10, poolRoundMs: 1000, warmupVotes: 30, oneVoterVotes: 300, perVoter: 30 };
const QUICK: GovernancePlan = { sampling: { warmupMs: 20, minSampleMs: 5, samples: 5, minSamples: 3, maxMs: 1000 }, verifyEnvelopes: 10, poolRounds: 3, poolRoundMs: 100, warmupVotes: 3, oneVoterVotes: 10, perVoter: 2 };

/** What the stage needs of a running server: its URL, how to stop it, and (when visible) its CPU time so far. */
export interface BenchServer {
  baseUrl: string;
  stop(): Promise<void>;
  cpu?: () => CpuSplit;
}

/** Starts a server on a fresh database holding `genesis` (also written to `genesisFile`). */
export type StartBenchServer = (genesis: Genesis, genesisFile: string, progress: (m: string) => void) => Promise<BenchServer>;

/** The product as a user starts it: npm start, devnet off, rate limits off, the bench genesis. */
const startProduct: StartBenchServer = async (_genesis, genesisFile, progress) => {
  const { startStack } = await import("../../e2e/support/stack");
  const stack = await startStack(progress, { env: { MATHLEDGER_DEVNET: "off", MATHLEDGER_RATE_LIMITS: "off", MATHLEDGER_GOVERNANCE_GENESIS: genesisFile } });
  const url = stack.databaseEnv.DATABASE_URL ? new URL(stack.databaseEnv.DATABASE_URL) : null;
  const postgres = url
    ? { port: Number(url.port || 5432), database: decodeURIComponent(url.pathname.slice(1)) }
    : stack.databaseEnv.MATHLEDGER_EMBEDDED_PG_PORT
      ? { port: Number(stack.databaseEnv.MATHLEDGER_EMBEDDED_PG_PORT) }
      : null;
  return { baseUrl: stack.baseUrl, stop: stack.stop, cpu: productCpuReader(stack.pid, postgres) };
};

/** The bench genesis: p1 proposes, r1..r3 review, bv01..bv60 vote (power 1 each); deterministic test keys. */
export function benchGenesis(): Genesis {
  const members: Member[] = [testMember("p1", ["proposer"]), testMember("r1", ["reviewer"]), testMember("r2", ["reviewer"]), testMember("r3", ["reviewer"])];
  // A genesis must name exactly 7 council members (5 of 7 thresholds); they take no part in the bench.
  for (let i = 1; i <= 7; i++) members.push(testMember(`c${i}`, ["council"]));
  for (let i = 1; i <= VOTER_COUNT; i++) members.push(testMember(voterId(i), ["voter"], 1));
  // Validated as the server validates a genesis file, so a bench genesis the server would refuse fails here.
  return parseGenesis({ network_id: TEST_NETWORK, params: { voting_period_seconds: 86_400, activation_lead_blocks: 100, attestation_period_seconds: 3600 }, members });
}

const voterId = (i: number) => `bv${String(i).padStart(2, "0")}`;

function metric(value: number, unit: string, description: string): Metric {
  return { value, unit, description };
}

function asMeasurement(id: string, label: string, concurrency: number, msSamples: number[]): Measurement {
  return { id, label, params: { concurrency }, bytes_per_call: null, iterations_per_sample: 1, us: summarize(msSamples.map((ms) => ms * 1000)), cpu_us_per_call: null, runqueue_wait_pct: null };
}

/** A stage over the given server starter (the product by default; the test passes an in-process one). */
export function createGovernanceStage(startServer: StartBenchServer = startProduct): BenchStage {
  const stage: BenchStage = {
    id: "governance",
    title: "Governance: hybrid signature verification and cast-vote over HTTP",
    description: "verifyEnvelope (Ed25519 + ML-DSA-65) throughput; tRPC governance.castVote: 1 voter p95, 50 concurrent voters votes/s, every vote stored once (starts the server)",
    runsByDefault: false,
    async run(context: StageContext): Promise<StageResult> {
      const plan = context.quick ? QUICK : FULL;
      const genesis = benchGenesis();
      const members = new Map(genesis.members.map((m) => [m.id, m]));
      const nonces = new Map<string, number>();
      const sign = (signer: string, draft: Parameters<typeof signAs>[1]): SignedEnvelope => {
        const nonce = (nonces.get(signer) ?? 0) + 1;
        nonces.set(signer, nonce);
        return signAs(signer, draft, { nonce, issuedAt: Math.floor(Date.now() / 1000), ttl: 3 * 3600 });
      };

      // ---- verification, in process, the server's path ------------------------------------------------------------
      context.progress(`governance: signing ${plan.verifyEnvelopes} vote envelopes for the verification`);
      const target = "0x" + "5a".repeat(32);
      const bodies = Array.from({ length: plan.verifyEnvelopes }, (_, i) => JSON.stringify(signAs(voterId((i % VOTER_COUNT) + 1), { type: "vote", body: { proposal_hash: target, choice: "YES" } }, { nonce: 1_000_000 + i, issuedAt: Math.floor(Date.now() / 1000), ttl: 3 * 3600 })));
      let next = 0;
      const verifyOne = () => {
        // A request body as the server receives it: parsed from JSON, then both signatures checked.
        const input = JSON.parse(bodies[next++ % bodies.length]) as unknown;
        return verifyEnvelope(input, { networkId: TEST_NETWORK, now: Math.floor(Date.now() / 1000), findMember: (id) => members.get(id), edVerify: nodeEd25519Verify });
      };
      context.progress("governance: verification on one thread (JSON.parse + verifyEnvelope), the baseline");
      const [verifyMeasurement] = measureGroup([{ id: "verify/hybrid", label: "JSON.parse + verifyEnvelope (Ed25519 node:crypto + ML-DSA-65 noble), one vote envelope, one thread", params: { signatures: 2 }, run: verifyOne }], plan.sampling);

      // The server's path: what the web server builds and starts (dist/web/verify-worker.mjs, one thread per core).
      const threads = defaultVerifyThreads();
      context.progress(`governance: verification pool (${threads} threads, the web server's bundle)`);
      const { buildVerifyWorker } = await import("./verify-worker-build");
      const pool = await VerifyPool.start(threads, { entry: await buildVerifyWorker() });
      let poolRates: number[];
      try {
        poolRates = await poolThroughput(bodies, (input) => verifyEnvelopeWith(input, { networkId: TEST_NETWORK, now: Math.floor(Date.now() / 1000), findMember: (id) => members.get(id) }, pool.check), threads, plan);
      } finally {
        await pool.close();
      }
      const poolMeasurement = asMeasurement("verify/pool", `JSON.parse + prepareEnvelope on the main thread, both signatures on ${threads} verification threads`, threads * IN_FLIGHT_PER_THREAD, poolRates.map((rate) => 1000 / rate));

      // ---- the server ---------------------------------------------------------------------------------------------
      const dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-bench-gov-"));
      const genesisFile = path.join(dir, "genesis.json");
      writeFileSync(genesisFile, JSON.stringify(genesis, null, 2));
      context.progress("governance: starting the server (fresh database, bench genesis, devnet and rate limits off)");
      const server = await startServer(genesis, genesisFile, (m) => context.progress(m));
      try {
        const base = server.baseUrl;
        // node:http over keep-alive connections (bench/harness/http-client.ts); for a vote, a retry refused
        // NONCE_NOT_INCREASING means the first attempt landed.
        const client = createHttpClient(base, { onRetry: (m) => context.progress(`governance: ${m}`) });
        const call = (procedure: string, input: unknown) => client.request("POST", `/api/trpc/${procedure}`, input);
        const must = async (procedure: string, input: unknown) => {
          const r = await call(procedure, input);
          if (r.status === 409 && r.retried && r.body.includes("NONCE_NOT_INCREASING")) return r;
          if (r.status !== 200) throw new Error(`${procedure} answered ${r.status}: ${r.body.slice(0, 300)}`);
          return r;
        };
        const proposal = sign("p1", { type: "proposal", body: { ...SAMPLE_PROPOSAL_BODY, proposal_id: "BENCH-1", activation_block: 100_000 } });
        await must("governance.submitProposal", { envelope: proposal });
        const proposalHash = messageDigest(proposal.message);
        for (const r of ["r1", "r2", "r3"]) await must("governance.submitReview", { envelope: sign(r, { type: "review", body: { proposal_hash: proposalHash, recommendation: "APPROVE", ...REVIEW_SECTIONS } }) });

        const choices = ["YES", "NO", "ABSTAIN"] as const;
        let voteCounter = 0;
        const vote = (voter: string) => sign(voter, { type: "vote", body: { proposal_hash: proposalHash, choice: choices[voteCounter++ % 3] } });
        let accepted = 0;
        const castVote = async (envelope: SignedEnvelope) => {
          await must("governance.castVote", { envelope });
          accepted++;
        };

        // One voter at a time: each request waits for the previous answer; the voters take turns (votes and re-votes).
        context.progress(`governance: signing ${plan.warmupVotes + plan.oneVoterVotes} votes for one voter at a time`);
        const sequentialVotes = Array.from({ length: plan.warmupVotes + plan.oneVoterVotes }, (_, i) => vote(voterId((i % VOTER_COUNT) + 1)));
        context.progress("governance: cast-vote, one voter at a time");
        for (const e of sequentialVotes.slice(0, plan.warmupVotes)) await castVote(e);
        const one: number[] = [];
        for (const e of sequentialVotes.slice(plan.warmupVotes)) {
          const t = performance.now();
          await castVote(e);
          one.push(performance.now() - t);
        }

        // The same one-at-a-time loop for a static file: the server's floor for one request, in the same run.
        const staticFileOnce = async () => {
          const res = await client.request("GET", "/icon.svg");
          if (res.status !== 200) throw new Error(`GET /icon.svg answered ${res.status}`);
        };
        const oneStatic: number[] = [];
        for (let i = 0; i < plan.warmupVotes + plan.oneVoterVotes; i++) {
          const t = performance.now();
          await staticFileOnce();
          if (i >= plan.warmupVotes) oneStatic.push(performance.now() - t);
        }

        // 50 voters at once, each sending its own votes in nonce order (a later nonce must not overtake an earlier one).
        context.progress(`governance: signing ${CONCURRENT_VOTERS} × ${plan.perVoter} votes`);
        const perVoter = Array.from({ length: CONCURRENT_VOTERS }, (_, v) => Array.from({ length: plan.perVoter }, () => vote(voterId(v + 1))));
        const staticFile = staticFileOnce;
        const closedLoop = async (lists: (() => Promise<void>)[][]) => {
          const latencies: number[] = [];
          const cpuBefore = server.cpu?.();
          const clientBefore = process.cpuUsage();
          const t0 = performance.now();
          await Promise.all(
            lists.map(async (list) => {
              for (const send of list) {
                const t = performance.now();
                await send();
                latencies.push(performance.now() - t);
              }
            }),
          );
          const seconds = (performance.now() - t0) / 1000;
          const cpuAfter = server.cpu?.();
          const client = process.cpuUsage(clientBefore);
          // The product's own background CPU (worker, timers; measured idle below) is not a request's cost.
          const perRequest = (before: number | null | undefined, after: number | null | undefined, idlePerS: number | null) =>
            before == null || after == null ? null : Math.max(0, after - before - (idlePerS ?? 0) * seconds) / latencies.length;
          // CPU ms per request: the product's Node processes, its PostgreSQL, and this load generator (all threads).
          const cpu = { node: perRequest(cpuBefore?.node, cpuAfter?.node, idle.node), database: perRequest(cpuBefore?.database, cpuAfter?.database, idle.database), client: (client.user + client.system) / 1000 / latencies.length };
          return { latencies, seconds, cpu };
        };
        // The product's CPU with no request in flight, per second (subtracted from the load phases' CPU).
        const idle = await idleCpu(server.cpu, context.quick ? 200 : IDLE_WINDOW_MS);
        context.progress(`governance: static file at ${CONCURRENT_VOTERS} connections, then cast-vote by ${CONCURRENT_VOTERS} voters at once`);
        const staticRun = await closedLoop(Array.from({ length: CONCURRENT_VOTERS }, () => Array.from({ length: Math.max(2, plan.perVoter) }, () => staticFile)));
        const many = await closedLoop(perVoter.map((list) => list.map((e) => () => castVote(e))));

        // Every vote stored once: as many rows as accepted votes, each its own digest.
        const listed = await client.request("GET", `/api/trpc/governance.listVotes?input=${encodeURIComponent(JSON.stringify({ proposal_hash: proposalHash }))}`);
        client.close();
        const rows = (JSON.parse(listed.body) as { result: { data: { digest: string }[] } }).result.data;
        const distinct = new Set(rows.map((r) => r.digest)).size;
        const notStoredOnce = Math.abs(rows.length - accepted) + (rows.length - distinct);

        const measurements = [verifyMeasurement, poolMeasurement, asMeasurement("http/c1/cast_vote", "governance.castVote, one voter at a time", 1, one), asMeasurement("http/c1/static", "GET /icon.svg, one request at a time", 1, oneStatic), asMeasurement(`http/c${CONCURRENT_VOTERS}/cast_vote`, `governance.castVote, ${CONCURRENT_VOTERS} voters at once`, CONCURRENT_VOTERS, many.latencies), asMeasurement(`http/c${CONCURRENT_VOTERS}/static`, `GET /icon.svg, ${CONCURRENT_VOTERS} connections`, CONCURRENT_VOTERS, staticRun.latencies)];
        const c1 = summarize(one);
        const cN = summarize(many.latencies);
        const verifyUs = verifyMeasurement.us.median;
        const poolRate = summarize(poolRates).median;
        const metrics: Record<string, Metric> = {
          "governance.verify_per_s": metric(poolRate, "votes/s", `vote envelopes verified per second by the web server's path (JSON.parse + checks on the main thread, both signatures on ${threads} verification threads; median of ${poolRates.length} rounds)`),
          "governance.verify_threads": metric(threads, "threads", "verification threads (one per core, as the web server starts them)"),
          "governance.verify_one_thread_per_s": metric(1e6 / verifyUs, "votes/s", "the same on one thread (JSON.parse + verifyEnvelope; median sample): the baseline"),
          "governance.verify_us": metric(verifyUs, "µs", "one envelope on one thread: JSON.parse + verifyEnvelope (median)"),
          "governance.c1_p50_ms": metric(c1.median, "ms", "cast-vote over HTTP, one voter at a time: median"),
          "governance.c1_p95_ms": metric(c1.p95, "ms", "cast-vote over HTTP, one voter at a time: p95"),
          "governance.c1_p99_ms": metric(c1.p99, "ms", "cast-vote over HTTP, one voter at a time: p99"),
          "governance.static_c1_p50_ms": metric(summarize(oneStatic).median, "ms", "static file, one request at a time: median (the server's floor for one request)"),
          "governance.static_c1_p95_ms": metric(summarize(oneStatic).p95, "ms", "static file, one request at a time: p95"),
          "governance.c50_votes_per_s": metric(many.latencies.length / many.seconds, "votes/s", `cast-vote by ${CONCURRENT_VOTERS} voters at once: votes stored per second`),
          "governance.c50_p50_ms": metric(cN.median, "ms", `${CONCURRENT_VOTERS} voters: median latency`),
          "governance.c50_p95_ms": metric(cN.p95, "ms", `${CONCURRENT_VOTERS} voters: p95 latency`),
          "governance.static_c50_rps": metric(staticRun.latencies.length / staticRun.seconds, "req/s", `static file at ${CONCURRENT_VOTERS} connections (the server's floor)`),
          "governance.c50_votes_per_static_request": metric(many.latencies.length / many.seconds / (staticRun.latencies.length / staticRun.seconds), "ratio", `votes/s by ${CONCURRENT_VOTERS} voters over the static file's req/s in the same run (how far a vote is from the cheapest request, whatever the machine's load)`),
          ...(idle.node !== null && idle.database !== null
            ? {
                "governance.idle_cpu_node_ms_per_s": metric(idle.node, "ms/s", "CPU the product's Node processes spend per second with no request (subtracted from the per-request CPU)"),
                "governance.idle_cpu_db_ms_per_s": metric(idle.database, "ms/s", "CPU its PostgreSQL spends per second with no request (subtracted likewise)"),
              }
            : {}),
          ...cpuMetrics("c50", "cast-vote by 50 voters", many.cpu),
          ...cpuMetrics("static_c50", "static file at 50 connections", staticRun.cpu),
          "governance.votes_accepted": metric(accepted, "votes", "votes answered 200 over the whole stage"),
          "governance.votes_stored": metric(rows.length, "rows", "vote rows the server stored for the proposal"),
          "governance.http_retries": metric(client.retries, "requests", "requests that failed before any answer and were sent again (connection resets)"),
          "governance.votes_not_stored_once": metric(notStoredOnce, "votes", "accepted votes missing or duplicated in the store, plus rows sharing a digest (must be 0)"),
        };
        const f = (v: number) => formatNumber(v, 2);
        const table: ReportTable = {
          id: "governance",
          title: "Governance votes: verification and governance.castVote over HTTP",
          columns: [
            { key: "case", label: "case" },
            { key: "median", label: "median ms", align: "right" },
            { key: "p95", label: "p95 ms", align: "right" },
            { key: "rate", label: "per s", align: "right" },
          ],
          rows: [
            { case: "JSON.parse + verifyEnvelope (both signatures), one thread", median: f(verifyUs / 1000), p95: f(verifyMeasurement.us.p95 / 1000), rate: f(metrics["governance.verify_one_thread_per_s"].value) },
            { case: `verification pool, ${threads} threads (ms per envelope per round)`, median: f(1000 / poolRate), p95: f(poolMeasurement.us.p95 / 1000), rate: f(poolRate) },
            { case: "castVote, 1 voter at a time", median: f(c1.median), p95: f(c1.p95), rate: f(1000 / c1.median) },
            { case: "static file, 1 request at a time", median: f(summarize(oneStatic).median), p95: f(summarize(oneStatic).p95), rate: f(1000 / summarize(oneStatic).median) },
            { case: `castVote, ${CONCURRENT_VOTERS} voters at once`, median: f(cN.median), p95: f(cN.p95), rate: f(metrics["governance.c50_votes_per_s"].value) },
            ...(metrics["governance.c50_cpu_bound_per_s"] && metrics["governance.static_c50_cpu_bound_per_s"]
              ? [
                  { case: `castVote ${CONCURRENT_VOTERS} at once: CPU ms per vote (node ${f(metrics["governance.c50_cpu_node_ms"].value)} + PG ${f(metrics["governance.c50_cpu_db_ms"].value)} + client ${f(metrics["governance.c50_cpu_client_ms"].value)}) → idle-core ceiling`, median: "", p95: "", rate: f(metrics["governance.c50_cpu_bound_per_s"].value) },
                  { case: `static file: CPU ms per request (node ${f(metrics["governance.static_c50_cpu_node_ms"].value)} + PG ${f(metrics["governance.static_c50_cpu_db_ms"].value)} + client ${f(metrics["governance.static_c50_cpu_client_ms"].value)}) → idle-core ceiling`, median: "", p95: "", rate: f(metrics["governance.static_c50_cpu_bound_per_s"].value) },
                ]
              : []),
            { case: `static file, ${CONCURRENT_VOTERS} connections`, median: f(summarize(staticRun.latencies).median), p95: f(summarize(staticRun.latencies).p95), rate: f(metrics["governance.static_c50_rps"].value) },
          ],
        };
        return {
          stage: "governance",
          title: stage.title,
          measurements,
          metrics,
          tables: [table],
          notes: [
            `${plan.oneVoterVotes} sequential votes after ${plan.warmupVotes} warm-up votes, then ${CONCURRENT_VOTERS} voters × ${plan.perVoter} votes (closed loop, each voter's votes in nonce order). ${accepted} votes accepted, ${rows.length} rows stored, ${distinct} distinct digests.`,
            `Verification: ${threads} threads (one per core, as the web server starts them), ${threads * IN_FLIGHT_PER_THREAD} envelopes in flight, ${poolRates.length} rounds of ${plan.poolRoundMs} ms after a warm-up round; the one-thread row is the same check on one thread. The HTTP rows run against \`npm start\`, whose web server verifies on its own pool of ${threads} threads.`,
          ],
        };
      } finally {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return stage;
}

/**
 * CPU ms per request of a load phase, by side, and the rate its sum allows on this machine's idle cores: the ceiling a
 * quiet machine would approach, whatever else loaded this one during the run. Sides /proc could not see are left out
 * (the in-process test server shares the load generator's process).
 */
function cpuMetrics(key: string, what: string, cpu: { node: number | null; database: number | null; client: number }): Record<string, Metric> {
  const out: Record<string, Metric> = {};
  if (cpu.node === null || cpu.database === null) return out;
  const total = cpu.node + cpu.database + cpu.client;
  const cores = os.availableParallelism();
  out[`governance.${key}_cpu_node_ms`] = metric(cpu.node, "ms", `${what}: CPU of the product's Node processes (web server, its verification threads, worker) per request`);
  out[`governance.${key}_cpu_db_ms`] = metric(cpu.database, "ms", `${what}: CPU of its PostgreSQL per request`);
  out[`governance.${key}_cpu_client_ms`] = metric(cpu.client, "ms", `${what}: CPU of the load generator (this process) per request`);
  out[`governance.${key}_cpu_bound_per_s`] = metric((cores * 1000) / total, "req/s", `${what}: ${cores} idle cores ÷ the CPU all three spent per request (the rate a quiet machine approaches)`);
  return out;
}

/** How long the product is watched idle, for its background CPU. */
const IDLE_WINDOW_MS = 3000;

async function idleCpu(read: (() => CpuSplit) | undefined, ms: number): Promise<{ node: number | null; database: number | null }> {
  if (!read) return { node: null, database: null };
  const before = read();
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  const after = read();
  const seconds = (performance.now() - t0) / 1000;
  const rate = (a: number | null, b: number | null) => (a === null || b === null ? null : (b - a) / seconds);
  return { node: rate(before.node, after.node), database: rate(before.database, after.database) };
}

/** Envelopes kept in flight per verification thread, so a thread never waits for the main thread to hand it work. */
const IN_FLIGHT_PER_THREAD = 4;

/**
 * Envelopes verified per second through `verify`, one rate per round: IN_FLIGHT_PER_THREAD × threads envelopes in
 * flight (closed loop), each a request body parsed from JSON; the first round is an untimed warm-up.
 */
async function poolThroughput(bodies: string[], verify: (input: unknown) => Promise<unknown>, threads: number, plan: GovernancePlan): Promise<number[]> {
  let next = 0;
  const round = async (ms: number) => {
    let done = 0;
    const t0 = performance.now();
    const end = t0 + ms;
    await Promise.all(
      Array.from({ length: threads * IN_FLIGHT_PER_THREAD }, async () => {
        while (performance.now() < end) {
          await verify(JSON.parse(bodies[next++ % bodies.length]) as unknown);
          done++;
        }
      }),
    );
    return done / ((performance.now() - t0) / 1000);
  };
  await round(plan.poolRoundMs);
  const rates: number[] = [];
  for (let i = 0; i < plan.poolRounds; i++) rates.push(await round(plan.poolRoundMs));
  return rates;
}

export const governanceStage = createGovernanceStage();
