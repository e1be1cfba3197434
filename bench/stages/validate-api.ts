/**
 * Stage "validate-api" (issue 11): POST /api/v1/validate with one 1,000-statement v2-dual-required block, over HTTP
 * through the real Next.js server, beside the in-process validation of the same block, so the route's own cost
 * (HTTP, body reading, JSON, the READ ONLY transaction, the stored-twin lookup) shows as the difference.
 *
 * The server: BENCH_BASE_URL when set (a running `npm start` or `npm run start:web`), else this stage starts the
 * product itself exactly as the browser tests do (e2e/support/stack.ts: `npm start` on a fresh database, which runs
 * `next build` first when the build is stale, a minute or two on two cores) with the devnet off, and stops it after.
 * That is why the stage is off the default list: `npm run bench -- --stage validate-api`.
 *
 * The request names everything (an inline registry and an inline predecessor), so any node gives the same work:
 * validation of the block against its predecessor, both hashes, the content id and one indexed lookup.
 *
 * Measured, in the same run:
 *   - in process: validateBlock (the core alone) and JSON.parse + validateForReport (what the route computes);
 *   - HTTP, one client: latency of sequential requests (what one operator sees);
 *   - HTTP, 20 concurrent clients (closed loop): p50/p95/p99 latency and requests per second, beside a static file
 *     (/icon.svg) at the same concurrency, which is the server's floor on this machine.
 */
import { makeEpoch } from "../../lib/consensus/epochs";
import { sealBlock } from "../../lib/consensus/seal-block";
import { validateBlock } from "../../lib/consensus/validate-block";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { SHA3_256_ID } from "../../lib/crypto/hash-algorithms";
import { generateFixedStatements } from "../../lib/devnet/statement-generator";
import { validateForReport } from "../../lib/validation/validation-report";
import type { Measurement, Metric, StageResult } from "../../lib/bench/bench-result";
import { summarize } from "../../lib/bench/statistics";
import type { ReportTable } from "../../lib/bench/report-table";
import { measureGroup, type SamplingPlan } from "../harness/measure";
import { formatNumber } from "../harness/number-format";
import type { BenchStage, StageContext } from "../harness/stage";

const CONCURRENCY = 20;

interface ApiPlan {
  sampling: SamplingPlan;
  /** Sequential requests for the one-client latency. */
  oneClientRequests: number;
  /** Requests per client at 20 concurrent clients. */
  perClient: number;
}

const FULL: ApiPlan = { sampling: { warmupMs: 300, minSampleMs: 20, samples: 30, minSamples: 10, maxMs: 8000 }, oneClientRequests: 60, perClient: 15 };
const QUICK: ApiPlan = { sampling: { warmupMs: 20, minSampleMs: 2, samples: 5, minSamples: 3, maxMs: 1000 }, oneClientRequests: 10, perClient: 3 };

function metric(value: number, unit: string, description: string): Metric {
  return { value, unit, description };
}

/** Milliseconds of each request, sequentially. */
async function sequential(send: () => Promise<void>, count: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await send();
    out.push(performance.now() - t);
  }
  return out;
}

/** `clients` closed loops of `perClient` requests each: every latency (ms) and the wall time of the whole run. */
async function concurrent(send: () => Promise<void>, clients: number, perClient: number): Promise<{ latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i++) {
        const t = performance.now();
        await send();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, seconds: (performance.now() - t0) / 1000 };
}

function asMeasurement(id: string, label: string, msSamples: number[]): Measurement {
  return {
    id,
    label,
    params: { concurrency: id.includes("c20") ? CONCURRENCY : 1 },
    bytes_per_call: null,
    iterations_per_sample: 1,
    us: summarize(msSamples.map((ms) => ms * 1000)),
    cpu_us_per_call: null,
    runqueue_wait_pct: null,
  };
}

export const validateApiStage: BenchStage = {
  id: "validate-api",
  title: "Validation on demand over HTTP (POST /api/v1/validate)",
  description: "POST /api/v1/validate with a 1,000-statement dual block: 1 and 20 concurrent clients vs in-process validation (starts the server unless BENCH_BASE_URL)",
  runsByDefault: false,
  async run(context: StageContext): Promise<StageResult> {
    const plan = context.quick ? QUICK : FULL;
    const suite = await loadWasmHashSuite();
    const epochs = [makeEpoch(0, "v2-dual-required", SHA3_256_ID, 1_700_000_000)];
    const genesis = sealBlock({ statements: generateFixedStatements(11, 10), epochs, timestamp: 1_700_000_000 });
    const block = sealBlock({ statements: generateFixedStatements(12, 1000), epochs, prev: genesis, timestamp: 1_700_000_002 });
    const body = JSON.stringify({ blocks: [block], predecessor: { block: genesis }, registry: epochs });

    context.progress("validate-api: in-process validation of the same block");
    const inProcess = measureGroup(
      [
        { id: "in-process/validate_block", label: "validateBlock(1000-statement v2 block, prev) (hash-wasm)", params: { statements: 1000 }, run: () => validateBlock(block, { epochs, prev: genesis, suite }) },
        {
          id: "in-process/parse_and_report",
          label: "JSON.parse(request body) + validateForReport (what the route computes)",
          params: { statements: 1000 },
          run: () => {
            const request = JSON.parse(body) as { blocks: unknown[] };
            return validateForReport(request.blocks, { epochs, prev: genesis, suite, now: 1_700_000_100 });
          },
        },
      ],
      plan.sampling,
    );

    let stop: (() => Promise<void>) | null = null;
    let baseUrl = process.env.BENCH_BASE_URL?.replace(/\/+$/, "");
    if (!baseUrl) {
      context.progress("validate-api: starting the product (npm start on a fresh database, devnet off; builds when stale)");
      const { startStack } = await import("../../e2e/support/stack");
      const stack = await startStack((m) => context.progress(m), { env: { MATHLEDGER_DEVNET: "off", MATHLEDGER_MAX_PUSH_BYTES: String(4 * 1024 * 1024), MATHLEDGER_RATE_LIMITS: "off" } });
      baseUrl = stack.baseUrl;
      stop = stack.stop;
    }
    try {
      const post = async () => {
        const res = await fetch(`${baseUrl}/api/v1/validate`, { method: "POST", headers: { "content-type": "application/json" }, body });
        const text = await res.text();
        if (res.status !== 200) throw new Error(`POST /api/v1/validate answered ${res.status}: ${text.slice(0, 300)}`);
      };
      const staticFile = async () => {
        const res = await fetch(`${baseUrl}/icon.svg`);
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`GET /icon.svg answered ${res.status}`);
      };
      // Correctness first: the block is valid and the answer says so.
      const check = await fetch(`${baseUrl}/api/v1/validate`, { method: "POST", headers: { "content-type": "application/json" }, body });
      const answer = (await check.json()) as { results?: Array<{ verdict: string }> };
      if (answer.results?.[0]?.verdict !== "VALID") throw new Error(`the bench block was not judged VALID: ${JSON.stringify(answer).slice(0, 300)}`);

      context.progress("validate-api: warm-up, then one client");
      await sequential(post, 5);
      const one = await sequential(post, plan.oneClientRequests);
      context.progress(`validate-api: ${CONCURRENCY} concurrent clients`);
      await concurrent(staticFile, CONCURRENCY, 5);
      const staticRun = await concurrent(staticFile, CONCURRENCY, plan.perClient * 2);
      const many = await concurrent(post, CONCURRENCY, plan.perClient);

      const measurements = [
        ...inProcess,
        asMeasurement("http/c1/validate", "POST /api/v1/validate, one client", one),
        asMeasurement("http/c20/validate", `POST /api/v1/validate, ${CONCURRENCY} concurrent clients`, many.latencies),
        asMeasurement("http/c20/static", `GET /icon.svg (static file), ${CONCURRENCY} concurrent clients`, staticRun.latencies),
      ];
      const ms = (id: string, key: "median" | "p95" | "p99" = "median") => measurements.find((m) => m.id === id)!.us[key] / 1000;
      const c20 = summarize(many.latencies);
      const metrics: Record<string, Metric> = {
        "validate_api.in_process_validate_ms": metric(ms("in-process/validate_block"), "ms", "validateBlock of the 1000-statement v2 block in process (median)"),
        "validate_api.in_process_parse_report_ms": metric(ms("in-process/parse_and_report"), "ms", "JSON.parse + validateForReport in process (median)"),
        "validate_api.c1_p50_ms": metric(ms("http/c1/validate"), "ms", "one client: median latency of POST /api/v1/validate"),
        "validate_api.c1_p95_ms": metric(ms("http/c1/validate", "p95"), "ms", "one client: p95 latency"),
        "validate_api.c20_p50_ms": metric(c20.median, "ms", `${CONCURRENCY} concurrent clients: median latency`),
        "validate_api.c20_p95_ms": metric(c20.p95, "ms", `${CONCURRENCY} concurrent clients: p95 latency`),
        "validate_api.c20_p99_ms": metric(c20.p99, "ms", `${CONCURRENCY} concurrent clients: p99 latency`),
        "validate_api.c20_rps": metric(many.latencies.length / many.seconds, "req/s", `${CONCURRENCY} concurrent clients: requests per second`),
        "validate_api.static_c20_rps": metric(staticRun.latencies.length / staticRun.seconds, "req/s", `static file at ${CONCURRENCY} clients (the server's floor)`),
        "validate_api.c1_over_in_process_ms": metric(ms("http/c1/validate") - ms("in-process/parse_and_report"), "ms", "one client's median minus the in-process parse + report: what HTTP, the route and PostgreSQL add"),
      };
      const f = (v: number) => formatNumber(v, 2);
      const row = (label: string, median: number, p95: number, p99: number | null, rps: number | null) => ({
        case: label,
        median: f(median),
        p95: f(p95),
        ...(p99 === null ? {} : { p99: f(p99) }),
        ...(rps === null ? {} : { rps: f(rps) }),
      });
      const table: ReportTable = {
        id: "validate-api",
        title: "POST /api/v1/validate, 1,000-statement v2-dual-required block",
        columns: [
          { key: "case", label: "case" },
          { key: "median", label: "median ms", align: "right" },
          { key: "p95", label: "p95 ms", align: "right" },
          { key: "p99", label: "p99 ms", align: "right" },
          { key: "rps", label: "req/s", align: "right" },
        ],
        rows: [
          row("in process: validateBlock", ms("in-process/validate_block"), ms("in-process/validate_block", "p95"), null, null),
          row("in process: JSON.parse + validateForReport", ms("in-process/parse_and_report"), ms("in-process/parse_and_report", "p95"), null, null),
          row("HTTP, 1 client", ms("http/c1/validate"), ms("http/c1/validate", "p95"), ms("http/c1/validate", "p99"), 1000 / ms("http/c1/validate")),
          row(`HTTP, ${CONCURRENCY} clients`, c20.median, c20.p95, c20.p99, metrics["validate_api.c20_rps"].value),
          row(`static file, ${CONCURRENCY} clients`, ms("http/c20/static"), ms("http/c20/static", "p95"), ms("http/c20/static", "p99"), metrics["validate_api.static_c20_rps"].value),
        ],
      };
      return {
        stage: "validate-api",
        title: validateApiStage.title,
        measurements,
        metrics,
        tables: [table],
        notes: [
          `Request body ${formatNumber(body.length / 1024, 1)} KiB; ${plan.oneClientRequests} sequential requests, then ${CONCURRENCY} clients × ${plan.perClient} requests (closed loop).`,
          `Server: ${process.env.BENCH_BASE_URL ? `BENCH_BASE_URL ${baseUrl}` : "started by this stage (npm start, devnet off)"}. With 2 cores, ${CONCURRENCY} clients mostly measure queueing: p95 ≈ ${CONCURRENCY} × the per-request CPU time.`,
        ],
      };
    } finally {
      if (stop) await stop();
    }
  },
};
