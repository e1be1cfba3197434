import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPeersConfig } from "./peers-file";

const dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-peers-"));
const file = (name: string, text: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
};
const message = (env: Record<string, string>) => {
  try {
    loadPeersConfig(env);
    return "loaded";
  } catch (error) {
    return (error as Error).message;
  }
};

describe("loadPeersConfig", () => {
  it("is empty without MATHLEDGER_PEERS", () => {
    expect(loadPeersConfig({}).peers).toEqual([]);
  });
  it("stops start-up with a message naming the variable, the file and the key", () => {
    expect(message({ MATHLEDGER_PEERS: path.join(dir, "absent.json") })).toMatch(/^MATHLEDGER_PEERS: cannot read .*absent\.json/);
    const broken = file("broken.json", "{ peers: ");
    expect(message({ MATHLEDGER_PEERS: broken })).toMatch(/^MATHLEDGER_PEERS: .*broken\.json: not valid JSON/);
    const badUrl = file("bad-url.json", JSON.stringify({ peers: [{ id: "node-2", url: "10.77.0.3:3000", token: "t".repeat(20) }] }));
    expect(message({ MATHLEDGER_PEERS: badUrl, MATHLEDGER_NODE_ID: "node-1" })).toBe(`MATHLEDGER_PEERS: ${badUrl}: peers: peers.0.url: must be an http(s) URL such as http://10.77.0.3:3000`);
    const self = file("self.json", JSON.stringify({ peers: [{ id: "node-1", url: "http://10.77.0.3:3000", token: "t".repeat(20) }] }));
    expect(message({ MATHLEDGER_PEERS: self, MATHLEDGER_NODE_ID: "node-1" })).toMatch(/peers\.0\.id: "node-1" is this node's own id/);
    expect(message({ MATHLEDGER_PEERS: self, MATHLEDGER_NODE_ID: "Node One" })).toMatch(/MATHLEDGER_NODE_ID: must be 1 to 64 lowercase/);
  });
  it("reads a good file", () => {
    const good = file("good.json", JSON.stringify({ peers: [{ id: "node-2", url: "http://10.77.0.3:3000", token: "${T2}" }] }));
    expect(loadPeersConfig({ MATHLEDGER_PEERS: good, MATHLEDGER_NODE_ID: "node-1", T2: "t".repeat(20) }).peers).toHaveLength(1);
  });
});
