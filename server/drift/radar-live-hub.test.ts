/**
 * GET /api/v1/radar/stream through its route handler: the first snapshot comes at once, and a drift event raised by
 * the radar in another connection is pushed without the client asking again (LISTEN/NOTIFY, no polling by the tab).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type pg from "pg";
import { createTestDatabase, type TestDatabase } from "../db/test-database";
import { createPgPool, closePgPool } from "../db/pg-pool";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import type { HashSuite } from "../../lib/crypto/hash-algorithms";
import { sealBlock } from "../../lib/consensus/seal-block";
import { BLOCK_INJECTIONS } from "../../lib/drift/drift-injection";
import { isAppError } from "../../lib/errors";
import { ensureEpochRegistry, loadEpochRegistry } from "../chain/epoch-registry";
import { produceDevnetBlock } from "../devnet/devnet-producer";
import { ingestBlocks, loadCanonicalTip } from "../ingest/ingest-blocks";
import { RadarRunner } from "./radar-runner";
import type { RadarSnapshot } from "./radar-snapshot";
import { radarLiveHub } from "./radar-live-hub";

let db: TestDatabase;
let pool: pg.Pool;
let suite: HashSuite;
const saved = process.env.DATABASE_URL;

beforeAll(async () => {
  db = await createTestDatabase();
  pool = createPgPool(db.url);
  suite = await loadWasmHashSuite();
  await ensureEpochRegistry(pool, { genesisTimestamp: Math.floor(Date.now() / 1000) - 100, dualActivationBlock: 3 });
  for (let i = 0; i < 6; i++) await produceDevnetBlock(pool, { suite, holder: "w", intervalMs: 1000, seed: 1 });
  process.env.DATABASE_URL = db.url;
});
afterAll(async () => {
  radarLiveHub().stop();
  await closePgPool();
  await pool?.end();
  await db?.drop();
  if (saved === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = saved;
});

/** Reads server-sent `snapshot` events from a response body. */
function snapshots(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  return async function next(): Promise<RadarSnapshot> {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = /^event: snapshot\ndata: (.*)$/s.exec(frame);
        if (data) return JSON.parse(data[1]) as RadarSnapshot;
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("stream ended");
      buffer += decoder.decode(value, { stream: true });
    }
  };
}

describe("GET /api/v1/radar/stream", () => {
  it("pushes a snapshot at once, then one with the new drift event when the radar raises it", async () => {
    const { GET } = await import("../../app/api/v1/radar/stream/route");
    const controller = new AbortController();
    const response = await GET(new Request("http://localhost/api/v1/radar/stream", { signal: controller.signal }));
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const next = snapshots(response);
    const first = await next();
    expect(first.dashboard.current_block).toBe(5);
    expect(first.open_events).toEqual([]);

    const prev = (await loadCanonicalTip(pool))!.block;
    const raw = BLOCK_INJECTIONS.lineage(sealBlock({ statements: ["x"], epochs: await loadEpochRegistry(pool), prev, timestamp: prev.timestamp + 1, suite }));
    await ingestBlocks(pool, [raw], { source: "http", suite }).catch((e) => {
      if (!isAppError(e, "INVALID_INPUT")) throw e;
    });
    await new RadarRunner(pool, { holder: "r" }).tick(); // commits the event and NOTIFYs
    let snapshot = await next();
    while (snapshot.open_events.length === 0) snapshot = await next();
    expect(snapshot.open_events[0]).toMatchObject({ drift_category: "lineage", severity: "CRITICAL", block_number: 6 });
    expect(snapshot.dashboard.network_health).toBe("CRITICAL");
    controller.abort();
  }, 60_000);
});
