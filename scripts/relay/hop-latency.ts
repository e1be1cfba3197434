/**
 * Per-hop relay time on this machine: three nodes in a line (A → B → C; each its own PostgreSQL database, the real
 * push route on a node:http server, the real relay sender), all in this one process. A seals a block every
 * INTERVAL_MS; each node's blocks.received_at (the start of the ingest transaction that stored the block) gives
 * the hop time: A's received_at → B's received_at covers A's ingest and COMMIT, the NOTIFY, the sender loading the
 * block, the HTTP request and B's body read. Prints p50/p95/max per hop in ms.
 *
 *   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npx tsx scripts/relay/hop-latency.ts [blocks] [statements]
 */
import { makeEpoch } from "../../lib/consensus/epochs";
import { sealBlock } from "../../lib/consensus/seal-block";
import type { Block } from "../../lib/consensus/block";
import { loadWasmHashSuite } from "../../lib/crypto/wasm-hash-suite";
import { ingestBlocks } from "../../server/ingest/ingest-blocks";
import { startTestNode, type TestNode } from "../../server/relay/test-support/relay-node";

const BLOCKS = Number(process.argv[2] ?? 40);
const STATEMENTS = Number(process.argv[3] ?? 100);
const INTERVAL_MS = 250;

const epochs = [makeEpoch(0, "v2-dual-required", 1, 0)];
const peer = (n: TestNode) => ({ id: n.id, url: n.url, token: n.token });
const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function main() {
  process.env.MATHLEDGER_RATE_LIMITS = "off";
  const suite = await loadWasmHashSuite();
  const [a, b, c] = await Promise.all(["hop-a", "hop-b", "hop-c"].map((id) => startTestNode(id, epochs)));
  try {
    await a.connect([peer(b)]);
    await b.connect([peer(c)]);
    let prev: Block | null = null;
    for (let i = 0; i < BLOCKS; i++) {
      const statements = Array.from({ length: STATEMENTS }, (_, k) => `block ${i} statement ${k}: ${k} + ${i} = ${k + i}`);
      const block: Block = sealBlock({ statements, epochs, prev, timestamp: 1_790_000_000 + i, suite });
      prev = block;
      await ingestBlocks(a.pool, [block], { source: "devnet", suite });
      await new Promise((r) => setTimeout(r, INTERVAL_MS));
    }
    const deadline = Date.now() + 30_000;
    while (Number((await c.pool.query("SELECT count(*) AS n FROM blocks")).rows[0].n) < BLOCKS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const times = async (n: TestNode) =>
      new Map((await n.pool.query<{ legacy_hash: string; t: number }>("SELECT legacy_hash, extract(epoch FROM received_at) * 1000 AS t FROM blocks")).rows.map((r) => [r.legacy_hash, Number(r.t)]));
    const [ta, tb, tc] = await Promise.all([times(a), times(b), times(c)]);
    const hop = (from: Map<string, number>, to: Map<string, number>) => [...from].filter(([h]) => to.has(h)).slice(3).map(([h, t]) => to.get(h)! - t);
    const bytes = Number((await a.pool.query("SELECT bytes_sent::float8 AS n FROM relay_peers")).rows[0].n);
    for (const [name, xs] of [["A→B", hop(ta, tb)], ["B→C", hop(tb, tc)]] as const) {
      console.log(`${name}: n=${xs.length} p50=${pct(xs, 50).toFixed(1)} ms p95=${pct(xs, 95).toFixed(1)} ms max=${Math.max(...xs).toFixed(1)} ms`);
    }
    console.log(`blocks of ${STATEMENTS} statements; ${(bytes / BLOCKS).toFixed(0)} bytes sent per block per hop; C has ${tc.size} of ${BLOCKS}`);
  } finally {
    await Promise.all([a, b, c].map((n) => n.stop()));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
