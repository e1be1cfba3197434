// The /proc probes the governance stage reads CPU with: a listening socket is traced to its process, and a process
// tree's CPU grows by the work it does.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { listeningPid, productCpuReader } from "./server-cpu";

describe("listeningPid", () => {
  it("finds the process listening on a port, and nothing on a closed one", async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    try {
      expect(listeningPid(port)).toBe(process.pid);
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(listeningPid(port)).toBeNull();
  });
});

describe("productCpuReader", () => {
  it("counts the CPU a process tree spends, and leaves the database out when none is given", () => {
    const read = productCpuReader(process.pid, null);
    const before = read();
    const end = Date.now() + 300;
    let x = 0;
    while (Date.now() < end) x += Math.sqrt(x + 1);
    const after = read();
    expect(after.database).toBeNull();
    // Ticks are 10 ms: 300 ms of busy work shows as well over 100 ms.
    expect(after.node! - before.node!).toBeGreaterThan(100);
    expect(x).toBeGreaterThan(0);
  });
});
