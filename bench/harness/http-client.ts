/**
 * A light HTTP/1.1 load generator's client: node:http over keep-alive connections, the body read whole.
 *
 * Why not fetch: undici's fetch costs this process about 1.8 ms of CPU per request (WHATWG streams, Headers, a
 * Response per call), node:http about 0.6 ms. The load generator runs on the same two cores as the server it
 * measures, so every millisecond it spends is one the server does not get; a closed-loop run at 50 connections then
 * measures the client as much as the server.
 *
 * A kept-alive connection the server closes as the request is sent (its keep-alive timeout, 5 s in Node, elapsing on
 * an idle socket at that moment) fails before any answer; such a request is sent once more on a fresh connection and
 * counted in `retries`, so a caller can tell a retried write that had landed after all.
 */
import http from "node:http";

export interface HttpAnswer {
  status: number;
  body: string;
  /** True when the first attempt failed before any answer and this is the second. */
  retried: boolean;
}

export interface HttpClient {
  request(method: "GET" | "POST", path: string, json?: unknown): Promise<HttpAnswer>;
  /** Requests sent twice because the first attempt failed before any answer. */
  readonly retries: number;
  close(): void;
}

export function createHttpClient(baseUrl: string, options: { maxSockets?: number; onRetry?: (message: string) => void } = {}): HttpClient {
  const base = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 64 });
  let retries = 0;
  const once = (method: string, path: string, body: string | undefined) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = body === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(body) };
      const req = http.request({ protocol: base.protocol, hostname: base.hostname, port: base.port, path, method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  return {
    async request(method, path, json) {
      const body = json === undefined ? undefined : JSON.stringify(json);
      try {
        return { ...(await once(method, path, body)), retried: false };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== "ECONNRESET" && code !== "EPIPE") throw error;
        retries++;
        options.onRetry?.(`${method} ${path} failed before an answer (${(error as Error).message}); retrying once`);
        return { ...(await once(method, path, body)), retried: true };
      }
    },
    get retries() {
      return retries;
    },
    close() {
      agent.destroy();
    },
  };
}
