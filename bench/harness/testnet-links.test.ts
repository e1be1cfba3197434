// The testnet's shaped links, for real: namespaces, veths and tbf on this kernel. Needs root and iproute2 (CI runs as
// root); elsewhere the test says why it cannot run, and the network stage falls back to loopback the same way.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { createShapedNetwork, inNamespace, linkShapingUnavailableReason } from "./testnet-links";

const reason = linkShapingUnavailableReason();
const sh = (command: string, args: string[]) => execFileSync(command, args, { encoding: "utf8" });

describe("createShapedNetwork", () => {
  it.skipIf(reason !== null)(`puts each node in its own namespace with tbf on both ends of its veth, and remove() leaves nothing (${reason ?? "root"})`, () => {
    const network = createShapedNetwork({ nodeCount: 2, uploadBps: 2_000_000, downloadBps: 8_000_000 });
    let namespaces: string[];
    try {
      namespaces = network.nodes.map((n) => n.namespace);
      expect(sh("ip", ["netns", "list"])).toContain(namespaces[0]);
      const inner = sh("ip", ["netns", "exec", namespaces[0], "tc", "qdisc", "show"]);
      expect(inner).toMatch(/tbf .*rate 2Mbit/);
      const host = sh("tc", ["qdisc", "show", "dev", `tn${process.pid}h1`]);
      expect(host).toMatch(/tbf .*rate 8Mbit/);
      // The node reaches the bridge's address from inside its namespace (a refused connection proves the route).
      const probe = inNamespace(namespaces[1], process.execPath, ["-e", `require("net").connect(9, "${network.bridgeAddress}").on("error", (e) => { console.log(e.code); })`]);
      expect(sh(probe.command, probe.args).trim()).toBe("ECONNREFUSED");
    } finally {
      network.remove();
    }
    const left = sh("ip", ["netns", "list"]);
    for (const ns of namespaces) expect(left).not.toContain(ns);
    expect(sh("ip", ["link", "show"])).not.toContain(`tn${process.pid}`);
  });

  it("runs a command unchanged when there is no namespace", () => {
    expect(inNamespace(null, "node", ["-v"])).toEqual({ command: "node", args: ["-v"] });
    expect(inNamespace("ns1", "node", ["-v"])).toEqual({ command: "ip", args: ["netns", "exec", "ns1", "node", "-v"] });
  });
});
