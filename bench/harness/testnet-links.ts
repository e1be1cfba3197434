/**
 * Real links for the local testnet: each node in its own network namespace, joined to a bridge in the bench's own
 * namespace by a veth pair, with `tc tbf` on both ends of each veth (the node's upload on its side, its download on
 * the bridge's side). Latency is not the kernel's (no netem on these machines): the delay proxies listen on the
 * bridge's address, so every byte between two nodes crosses the sender's upload filter, a proxy, and the receiver's
 * download filter.
 *
 * Names: namespaces `mlpq-tn-<pid>-<i>`, interfaces `tn<pid>h<i>` (bridge side), `tn<pid>n<i>` (node side) and the
 * bridge `tn<pid>br`, with <pid> the bench process's id, so a later run can sweep what a killed run left behind (its
 * pid is gone) without touching a live run's. Addresses: 10.77.<k>.0/24 with k from the pid; the bridge is .1,
 * node i is .(10 + i).
 *
 * Needs root and iproute2 (`ip`, `tc`); `linkShapingAvailable()` says whether this process can do it, and the stage
 * falls back to loopback (latency and bandwidth both in the proxies) when it cannot.
 */
import { execFileSync } from "node:child_process";

export interface ShapedNetwork {
  /** The bridge's address in the bench's namespace: where the proxies listen and the nodes reach them. */
  bridgeAddress: string;
  /** Namespace and address of node i (0-based). */
  nodes: { namespace: string; address: string }[];
  /** Removes the namespaces (and with them the veth pairs) and the bridge. Idempotent. */
  remove(): void;
}

export interface ShapingOptions {
  nodeCount: number;
  uploadBps: number;
  downloadBps: number;
}

const NAMESPACE_PREFIX = "mlpq-tn-";

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

function tryRun(command: string, args: string[]): boolean {
  try {
    run(command, args);
    return true;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Why link shaping cannot run here, or null when it can (root, iproute2, namespaces, veth, tbf). */
export function linkShapingUnavailableReason(): string | null {
  if (process.platform !== "linux") return `not Linux (${process.platform})`;
  if (typeof process.getuid === "function" && process.getuid() !== 0) return "not root (network namespaces and tc need CAP_NET_ADMIN)";
  if (!tryRun("ip", ["-V"])) return "iproute2's `ip` is not installed";
  if (!tryRun("tc", ["-V"])) return "iproute2's `tc` is not installed";
  // A throw-away namespace with a veth end and a tbf on it proves the kernel allows all three.
  const probe = `${NAMESPACE_PREFIX}${process.pid}-probe`;
  const host = `tn${process.pid}hp`;
  const inner = `tn${process.pid}np`;
  try {
    run("ip", ["netns", "add", probe]);
    run("ip", ["link", "add", host, "type", "veth", "peer", "name", inner]);
    run("ip", ["link", "set", inner, "netns", probe]);
    run("ip", ["netns", "exec", probe, "tc", "qdisc", "add", "dev", inner, "root", "tbf", "rate", "1mbit", "burst", "16kb", "latency", "100ms"]);
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    return `cannot create a namespace with a shaped veth: ${stderr || (error as Error).message}`;
  } finally {
    tryRun("ip", ["link", "del", host]);
    tryRun("ip", ["netns", "del", probe]);
  }
}

/** Removes namespaces, veths and bridges of testnet runs whose process is gone (a run killed with SIGKILL). */
export function sweepStaleTestnets(log: (m: string) => void = () => undefined): void {
  let listed = "";
  try {
    listed = run("ip", ["netns", "list"]);
  } catch {
    return;
  }
  const stalePids = new Set<number>();
  for (const line of listed.split("\n")) {
    const name = line.split(" ")[0];
    const match = new RegExp(`^${NAMESPACE_PREFIX}(\\d+)-`).exec(name);
    if (!match || alive(Number(match[1]))) continue;
    stalePids.add(Number(match[1]));
    tryRun("ip", ["netns", "del", name]);
  }
  for (const pid of stalePids) {
    tryRun("ip", ["link", "del", `tn${pid}br`]);
    log(`removed the network namespaces of a testnet run that no longer exists (pid ${pid})`);
  }
}

function tbf(rateBps: number): string[] {
  // Burst: at least one full-size packet train at this rate (10 ms worth, never below 16 KiB); a queue of up to 1 s
  // so a burst of relayed blocks waits rather than being dropped (drops would add TCP retransmission timeouts).
  const burst = Math.max(16 * 1024, Math.ceil(rateBps / 8 / 100));
  return ["root", "tbf", "rate", `${Math.round(rateBps)}bit`, "burst", String(burst), "latency", "1000ms"];
}

/** Builds the bridge, one namespace per node and the shaped veths. Throws (after removing what it made) on failure. */
export function createShapedNetwork(options: ShapingOptions): ShapedNetwork {
  const pid = process.pid;
  const k = (pid % 250) + 1;
  const bridge = `tn${pid}br`;
  const bridgeAddress = `10.77.${k}.1`;
  const nodes = Array.from({ length: options.nodeCount }, (_, i) => ({ namespace: `${NAMESPACE_PREFIX}${pid}-${i + 1}`, address: `10.77.${k}.${10 + i + 1}` }));
  if (options.nodeCount > 200) throw new RangeError("at most 200 namespaced nodes (one /24)");
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    // Each veth pair goes first, by its host end: deleting one end removes both at once, whereas a namespace's
    // deletion tears down the veth inside it asynchronously (the host end lingered for a moment after `netns del`).
    nodes.forEach((n, i) => {
      tryRun("ip", ["link", "del", `tn${pid}h${i + 1}`]);
      tryRun("ip", ["netns", "del", n.namespace]);
    });
    tryRun("ip", ["link", "del", bridge]);
  };
  try {
    run("ip", ["link", "add", bridge, "type", "bridge"]);
    run("ip", ["addr", "add", `${bridgeAddress}/24`, "dev", bridge]);
    run("ip", ["link", "set", bridge, "up"]);
    nodes.forEach((n, i) => {
      const host = `tn${pid}h${i + 1}`;
      const inner = `tn${pid}n${i + 1}`;
      run("ip", ["netns", "add", n.namespace]);
      run("ip", ["link", "add", host, "type", "veth", "peer", "name", inner]);
      run("ip", ["link", "set", inner, "netns", n.namespace]);
      run("ip", ["link", "set", host, "master", bridge]);
      run("ip", ["link", "set", host, "up"]);
      const inNs = (...args: string[]) => run("ip", ["netns", "exec", n.namespace, ...args]);
      inNs("ip", "link", "set", "lo", "up");
      inNs("ip", "addr", "add", `${n.address}/24`, "dev", inner);
      inNs("ip", "link", "set", inner, "up");
      // Upload: what leaves the node; download: what the bridge sends to it.
      inNs("tc", "qdisc", "add", "dev", inner, ...tbf(options.uploadBps));
      run("tc", ["qdisc", "add", "dev", host, ...tbf(options.downloadBps)]);
    });
  } catch (error) {
    remove();
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`could not build the testnet's network: ${stderr || (error as Error).message}`);
  }
  return { bridgeAddress, nodes, remove };
}

/** The command line that runs `command` inside namespace `ns`. */
export function inNamespace(ns: string | null, command: string, args: string[]): { command: string; args: string[] } {
  return ns === null ? { command, args } : { command: "ip", args: ["netns", "exec", ns, command, ...args] };
}
