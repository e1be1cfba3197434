// The delay proxy against a real TCP echo server on loopback. Timing is checked only from below (a chunk never arrives
// before its delay, a capped transfer never beats its rate): a busy machine can only make things later.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDelayProxy, type DelayProxy } from "./delay-proxy";

let echo: net.Server;
let echoPort: number;

beforeAll(async () => {
  echo = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on("data", (chunk) => socket.write(chunk));
    socket.on("end", () => socket.end());
  });
  await new Promise<void>((resolve) => echo.listen(0, "127.0.0.1", resolve));
  echoPort = (echo.address() as net.AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => echo.close(() => resolve())));

/** Sends `payload`, half-closes, and resolves with everything echoed back and the time it took. */
function roundTrip(proxy: DelayProxy, payload: Buffer): Promise<{ data: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: proxy.host, port: proxy.port, allowHalfOpen: true }, () => socket.end(payload));
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("end", () => {
      socket.destroy();
      resolve({ data: Buffer.concat(chunks), ms: performance.now() - t0 });
    });
    socket.on("error", reject);
  });
}

describe("startDelayProxy", () => {
  it("forwards both ways unchanged and in order, each direction no earlier than the one-way delay", async () => {
    const proxy = await startDelayProxy({ listenHost: "127.0.0.1", targetHost: "127.0.0.1", targetPort: echoPort, delayMs: 60 });
    try {
      const payload = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
      const { data, ms } = await roundTrip(proxy, payload);
      expect(data.equals(payload)).toBe(true);
      expect(ms).toBeGreaterThanOrEqual(2 * 60 - 1);
      expect(proxy.bytes()).toEqual({ forward: payload.length, backward: payload.length });
    } finally {
      await proxy.close();
    }
  });

  it("with a rate cap, a transfer takes at least its size over the rate (beyond the bucket's burst)", async () => {
    const rateBps = 2_000_000;
    const burstBytes = 4096;
    const proxy = await startDelayProxy({ listenHost: "127.0.0.1", targetHost: "127.0.0.1", targetPort: echoPort, delayMs: 0, rateBps, burstBytes });
    try {
      const payload = Buffer.alloc(50_000, 7);
      const { data, ms } = await roundTrip(proxy, payload);
      expect(data.equals(payload)).toBe(true);
      // Each direction is capped: at least (size − burst) · 8 / rate for the request, and again for the echo.
      const oneWayMs = (((payload.length - burstBytes) * 8) / rateBps) * 1000;
      expect(ms).toBeGreaterThanOrEqual(oneWayMs);
    } finally {
      await proxy.close();
    }
  });

  it("refuses a negative delay and a non-positive rate", () => {
    expect(() => startDelayProxy({ listenHost: "127.0.0.1", targetHost: "127.0.0.1", targetPort: 1, delayMs: -1 })).toThrow(/delay/);
    expect(() => startDelayProxy({ listenHost: "127.0.0.1", targetHost: "127.0.0.1", targetPort: 1, delayMs: 1, rateBps: 0 })).toThrow(/rate/);
  });

  it("closes the client's side when the target cannot be reached", async () => {
    const proxy = await startDelayProxy({ listenHost: "127.0.0.1", targetHost: "127.0.0.1", targetPort: 1, delayMs: 5 });
    try {
      const closed = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host: proxy.host, port: proxy.port });
        socket.on("close", () => resolve(true));
        socket.on("error", () => undefined);
      });
      expect(closed).toBe(true);
    } finally {
      await proxy.close();
    }
  });
});
