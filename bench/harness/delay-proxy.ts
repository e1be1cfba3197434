/**
 * A TCP forwarding proxy that adds a one-way delay to every chunk, each direction, and optionally caps each
 * direction's rate with a token bucket: the latency half of the testnet's link shaping (bench/stages/network.ts).
 *
 * Why a proxy: these kernels have `tc tbf` (bandwidth) but no `netem` (delay), so latency cannot come from the kernel.
 * The proxy terminates TCP on both sides, so the handshake is not delayed; every chunk read from one side is written
 * to the other `delayMs` after it was read, in order (a chunk never overtakes an earlier one). The rate cap is used
 * only in the loopback fallback, where no tbf can shape the link: a chunk then also waits until the bucket (burst
 * `burstBytes`, refilled at `rateBps` bits per second) holds its bytes, which is what a token bucket filter does.
 *
 * Bytes forwarded are counted per direction, so a caller can check what crossed a link.
 */
import net from "node:net";

export interface DelayProxyOptions {
  /** Address and port to listen on (port 0: any free port). */
  listenHost: string;
  listenPort?: number;
  targetHost: string;
  targetPort: number;
  /** One-way delay added to each chunk, both directions, ms. */
  delayMs: number;
  /** Rate cap per direction in bit/s; null: none (the kernel's tbf shapes the link). */
  rateBps?: number | null;
  /** Token bucket depth in bytes (default 16 KiB, about tbf's burst for a few Mbit/s). */
  burstBytes?: number;
}

export interface DelayProxy {
  readonly host: string;
  readonly port: number;
  /** Bytes forwarded client → target and target → client so far. */
  bytes(): { forward: number; backward: number };
  close(): Promise<void>;
}

/** An Ethernet payload: the unit the rate cap releases, as tbf releases packets. */
const PACKET_BYTES = 1460;

/** Releases chunks in order, each no earlier than its due time and, with a rate, no faster than the bucket allows. */
class ShapedPipe {
  private readonly queue: { chunk: Buffer; due: number }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private tokens: number;
  private lastRefill = performance.now();
  private ended = false;

  constructor(
    private readonly to: net.Socket,
    private readonly onWrite: (bytes: number) => void,
    private readonly delayMs: number,
    private readonly rateBytesPerMs: number | null,
    private readonly burstBytes: number,
  ) {
    this.tokens = burstBytes;
  }

  push(chunk: Buffer): void {
    this.queue.push({ chunk, due: performance.now() + this.delayMs });
    this.schedule();
  }

  /** The source ended: end the destination once everything queued has been written. */
  end(): void {
    this.ended = true;
    this.schedule();
  }

  destroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.queue.length = 0;
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = this.nextWait();
    if (wait === null) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.drain();
    }, Math.max(0, wait));
  }

  /** ms until the head can go (0 = now); null when nothing is queued. */
  private nextWait(): number | null {
    if (this.queue.length === 0) {
      if (this.ended && !this.to.destroyed) this.to.end();
      return null;
    }
    const now = performance.now();
    const head = this.queue[0];
    let wait = head.due - now;
    if (this.rateBytesPerMs !== null) {
      this.refill(now);
      // Chunks go out in packet-sized pieces as tokens allow, as tbf releases packets.
      const need = Math.min(head.chunk.length, PACKET_BYTES);
      if (this.tokens < need) wait = Math.max(wait, (need - this.tokens) / this.rateBytesPerMs);
    }
    return wait;
  }

  private refill(now: number): void {
    if (this.rateBytesPerMs === null) return;
    this.tokens = Math.min(this.burstBytes, this.tokens + (now - this.lastRefill) * this.rateBytesPerMs);
    this.lastRefill = now;
  }

  private drain(): void {
    for (;;) {
      const wait = this.nextWait();
      if (wait === null) return;
      if (wait > 0.5) {
        this.schedule();
        return;
      }
      const head = this.queue[0];
      let chunk = head.chunk;
      if (this.rateBytesPerMs !== null) {
        const allowed = Math.max(Math.floor(this.tokens), Math.min(chunk.length, PACKET_BYTES));
        if (allowed < chunk.length) {
          head.chunk = chunk.subarray(allowed);
          chunk = chunk.subarray(0, allowed);
        } else this.queue.shift();
        this.tokens -= chunk.length;
      } else this.queue.shift();
      if (this.to.destroyed) continue;
      this.onWrite(chunk.length);
      this.to.write(chunk);
    }
  }
}

export function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  if (!(options.delayMs >= 0 && Number.isFinite(options.delayMs))) throw new RangeError(`delay ${options.delayMs} ms must be a non-negative number`);
  const rate = options.rateBps ?? null;
  if (rate !== null && !(rate > 0 && Number.isFinite(rate))) throw new RangeError(`rate ${rate} bit/s must be positive`);
  const burst = options.burstBytes ?? 16 * 1024;
  const rateBytesPerMs = rate === null ? null : rate / 8 / 1000;
  const sockets = new Set<net.Socket>();
  const pipes = new Set<ShapedPipe>();
  const counted = { forward: 0, backward: 0 };

  // Half-open sockets: a side that has sent everything (FIN) still receives what the other side's pipe holds for it.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    const target = net.connect({ host: options.targetHost, port: options.targetPort, allowHalfOpen: true });
    client.setNoDelay(true);
    target.setNoDelay(true);
    sockets.add(client).add(target);
    const up = new ShapedPipe(target, (n) => (counted.forward += n), options.delayMs, rateBytesPerMs, burst);
    const down = new ShapedPipe(client, (n) => (counted.backward += n), options.delayMs, rateBytesPerMs, burst);
    pipes.add(up).add(down);
    client.on("data", (chunk: Buffer) => up.push(chunk));
    target.on("data", (chunk: Buffer) => down.push(chunk));
    // A side that finished sending: the other side gets FIN once the delayed chunks before it are delivered.
    client.on("end", () => up.end());
    target.on("end", () => down.end());
    const forget = (socket: net.Socket, pipe: ShapedPipe) => {
      pipe.destroy();
      pipes.delete(pipe);
      sockets.delete(socket);
    };
    // A closed socket can take nothing more: drop what its pipe still holds for it.
    client.on("close", () => forget(client, down));
    target.on("close", () => forget(target, up));
    const fail = () => {
      client.destroy();
      target.destroy();
    };
    client.on("error", fail);
    target.on("error", fail);
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.listenPort ?? 0, options.listenHost, () => {
      server.off("error", reject);
      const address = server.address() as net.AddressInfo;
      resolve({
        host: options.listenHost,
        port: address.port,
        bytes: () => ({ ...counted }),
        close: () =>
          new Promise<void>((done) => {
            for (const p of pipes) p.destroy();
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
