import { describe, expect, it } from "vitest";
import { parsePeersConfig } from "./peers-config";
import { peerSync } from "./peer-sync";

const env = { NODE2_TOKEN: "node-two-token-0123456789" };
const codeAndMessage = (f: () => unknown): string => {
  try {
    f();
  } catch (error) {
    return `${(error as { code: string }).code}: ${(error as Error).message}`;
  }
  return "no error";
};

describe("parsePeersConfig", () => {
  it("reads peers, expanding ${NAME} from the environment and trimming a trailing slash", () => {
    const config = parsePeersConfig({ peers: [{ id: "node-2", url: "http://10.77.0.3:3000/", token: "${NODE2_TOKEN}" }] }, env, "node-1");
    expect(config.peers).toEqual([{ id: "node-2", url: "http://10.77.0.3:3000", token: "node-two-token-0123456789" }]);
  });
  it("names the key of every fault", () => {
    const cases: [unknown, RegExp][] = [
      [null, /peers: \(top level\): the file is empty/],
      [{ peer: [] }, /peers: peers: must be an array of \{"id", "url", "token"\} objects/],
      [{ peers: [], extra: 1 }, /peers: \(top level\): Unrecognized key/],
      [{ peers: [{ id: "Node 2", url: "http://a:1", token: "x".repeat(16) }] }, /peers: peers\.0\.id: must be 1 to 64 lowercase/],
      [{ peers: [{ id: "node-2", url: "ftp://a", token: "x".repeat(16) }] }, /peers: peers\.0\.url: must be an http\(s\) URL/],
      [{ peers: [{ id: "node-2", url: "http://a:1", token: "short" }] }, /peers: peers\.0\.token: must be the peer's node token/],
      [{ peers: [{ id: "node-2", url: "http://a:1", token: "${MISSING_TOKEN}" }] }, /peers: peers\.0\.token: environment variable MISSING_TOKEN is not set/],
      [{ peers: [{ id: "node-1", url: "http://a:1", token: "x".repeat(16) }] }, /peers: peers\.0\.id: "node-1" is this node's own id/],
      [{ peers: [{ id: "node-2", url: "http://a:1", token: "x".repeat(16) }, { id: "node-2", url: "http://b:1", token: "x".repeat(16) }] }, /peers: peers\.1\.id: "node-2" is listed twice/],
    ];
    for (const [doc, message] of cases) expect(codeAndMessage(() => parsePeersConfig(doc, env, "node-1"))).toMatch(new RegExp(`^CONFIG: ${message.source}`));
  });
});

describe("peerSync", () => {
  const own = { block_number: 10, hashes: ["0xaa", "0xbb"] };
  const learned = (tip_block: number | null, tip_hash: string | null) => ({ tip_block, tip_hash, tip_learned_at: 1, unreachable_since: null });
  it("says in sync, behind by n, ahead by n, diverged, unreachable since, or not learned yet", () => {
    expect(peerSync(learned(10, "0xbb"), own)).toMatchObject({ state: "in_sync", blocks: 0 });
    expect(peerSync(learned(13, "0xcc"), own)).toMatchObject({ state: "behind", blocks: 3, summary: "behind by 3" });
    expect(peerSync(learned(7, "0xcc"), own)).toMatchObject({ state: "ahead", blocks: 3, summary: "ahead by 3" });
    expect(peerSync(learned(10, "0xcc"), own)).toMatchObject({ state: "diverged" });
    expect(peerSync(learned(null, null), { block_number: null, hashes: [] })).toMatchObject({ state: "in_sync" });
    expect(peerSync({ ...learned(10, "0xaa"), unreachable_since: Date.UTC(2026, 11, 3, 16, 40) }, own)).toMatchObject({ state: "unreachable", summary: "unreachable since 2026-12-03T16:40:00.000Z" });
    expect(peerSync({ tip_block: null, tip_hash: null, tip_learned_at: null, unreachable_since: null }, own)).toMatchObject({ state: "unknown" });
  });
});
