/**
 * A whole node in the test process, for the relay's integration tests: its own database (real PostgreSQL), the real
 * push route (POST /api/v1/blocks), the governance relay route and GET /api/v1/status on a node:http server, and the
 * real relay sender pointed at its peers. Several of these in one process form a network over real HTTP.
 */
import http from "node:http";
import type pg from "pg";
import type { Epoch } from "../../../lib/consensus/epochs";
import type { RelayPeer } from "../../../lib/relay/peers-config";
import { createTestDatabase, type TestDatabase } from "../../db/test-database";
import { createPgPool } from "../../db/pg-pool";
import { replaceEpochRegistry } from "../../chain/epoch-registry";
import { getNodeStatus } from "../relay-status";
import { handlePushBlocks } from "../../http/push-blocks";
import { json } from "../../http/json-response";
import { handleRelayGovernance } from "../../http/relay-governance";
import { RelaySender } from "../relay-sender";
import { freePort } from "../../http/free-port";

export interface TestNode {
  id: string;
  url: string;
  token: string;
  db: TestDatabase;
  pool: pg.Pool;
  sender: RelaySender | null;
  /** Extra routes (path → handler) a test adds, e.g. the governance relay. */
  routes: Map<string, (request: Request, node: TestNode) => Promise<Response>>;
  /** Starts the relay sender towards `peers` (other test nodes, or any URL). */
  connect(peers: RelayPeer[]): Promise<void>;
  /** Stops serving HTTP (the peer is "down"); `listen` serves again on the same port. */
  close(): Promise<void>;
  listen(): Promise<void>;
  stop(): Promise<void>;
}

async function toRequest(req: http.IncomingMessage, port: number): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  return new Request(`http://127.0.0.1:${port}${req.url}`, { method: req.method, headers, body: req.method === "GET" ? undefined : Buffer.concat(chunks) });
}

export async function startTestNode(id: string, epochs: Epoch[], setup?: (pool: pg.Pool) => Promise<void>): Promise<TestNode> {
  const db = await createTestDatabase({ poolMax: 1 });
  const pool = createPgPool(db.url, 6);
  await replaceEpochRegistry(pool, epochs);
  await setup?.(pool);
  const port = await freePort();
  const token = `token-of-${id}-0123456789abcdef`;
  const node: TestNode = {
    id,
    url: `http://127.0.0.1:${port}`,
    token,
    db,
    pool,
    sender: null,
    routes: new Map(),
    async connect(peers) {
      await node.sender?.stop();
      node.sender = new RelaySender(pool, { nodeId: id, peers, holder: `test-${id}`, statusEveryMs: 500 });
      await node.sender.start();
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
    listen: () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve())),
    async stop() {
      await node.sender?.stop();
      if (server.listening) await node.close();
      await pool.end();
      await db.drop();
    },
  };
  const server = http.createServer((req, res) => {
    void (async () => {
      const request = await toRequest(req, port);
      const path = new URL(request.url).pathname;
      let response: Response;
      if (path === "/api/v1/blocks" && request.method === "POST") response = await handlePushBlocks(request, { pool, token, maxPushBytes: 1024 * 1024 });
      else if (path === "/api/v1/status") response = json(await getNodeStatus(pool, { expectedIntervalSeconds: 2, nodeId: id }));
      else if (path === "/api/v1/relay/governance" && request.method === "POST") response = await handleRelayGovernance(request, { pool, token, maxPushBytes: 1024 * 1024 });
      else if (node.routes.has(path)) response = await node.routes.get(path)!(request, node);
      else response = json({ error: { code: "NOT_FOUND", message: path } }, 404);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: Error) => {
      res.writeHead(500);
      res.end(error.message);
    });
  });
  await node.listen();
  return node;
}
