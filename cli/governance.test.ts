/**
 * `mathledger-cli governance ...` against a fresh PostgreSQL with the test genesis: keygen/pubkey, the proposal
 * flow by key files, offline sign + submit, refusals exiting 1 with their reason code, bad input exiting 2, export +
 * offline recount, and verify-log catching an edited row.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encryptKeyFile } from "../lib/governance/key-file";
import { SAMPLE_PROPOSAL_BODY, signAs, testGenesis, testKey, TEST_NETWORK } from "../lib/governance/test-members";
import { BUNDLE_FORMAT } from "../lib/governance/recount";
import { messageDigest } from "../lib/governance/message";
import { freezePowerTable, tallyVotes } from "../lib/governance/tally";
import { createGovernanceFixture, type GovernanceFixture } from "../server/governance/test-fixture";
import { runInProcess } from "./test-support/run-in-process";

let f: GovernanceFixture;
let dir: string;
const PASS = "cli test passphrase";
const NOW = 1_750_000_000;
let env: Record<string, string>;
const cli = (...args: string[]) => runInProcess(args, { cwd: dir, env, now: NOW });
const keyFile = (id: string) => path.join(dir, `${id}.key`);

beforeAll(async () => {
  f = await createGovernanceFixture({ blocks: 2 });
  dir = mkdtempSync(path.join(os.tmpdir(), "mlpq-gov-cli-"));
  env = { DATABASE_URL: f.db.url, PASS };
  for (const id of ["p1", "r1", "r2", "r3", "v1", "v2", "c1"]) {
    const file = await encryptKeyFile(testKey(id), PASS, { memberId: id, randomBytes: (n) => new Uint8Array(randomBytes(n)), scrypt: { n: 1024, r: 8, p: 1 } });
    writeFileSync(keyFile(id), JSON.stringify(file));
  }
  writeFileSync(path.join(dir, "proposal.json"), JSON.stringify({ ...SAMPLE_PROPOSAL_BODY, activation_block: 300 }));
});
afterAll(async () => {
  await f?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("governance keygen / pubkey", () => {
  it("writes a 0600 key file whose public keys pubkey prints, and never overwrites it", async () => {
    const r = await cli("governance", "keygen", "--out", "new.key", "--member", "newbie", "--passphrase-env", "PASS", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(statSync(path.join(dir, "new.key")).mode & 0o777).toBe(0o600);
    const pub = await cli("governance", "pubkey", "--key", "new.key", "--json");
    expect(JSON.parse(pub.stdout)).toEqual({ member_id: "newbie", public_keys: out.public_keys });
    expect((await cli("governance", "keygen", "--out", "new.key", "--passphrase-env", "PASS")).code).toBe(2);
  });
  it("exits 2 without a passphrase source, and on a wrong passphrase", async () => {
    expect((await cli("governance", "keygen", "--out", "x.key")).code).toBe(2);
    const r = await runInProcess(["governance", "vote", "--key", keyFile("v1"), "--proposal", `0x${"00".repeat(32)}`, "--choice", "YES", "--passphrase-env", "PASS"], { cwd: dir, env: { ...env, PASS: "wrong passphrase" }, now: NOW });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("WRONG_PASSPHRASE");
  });
});

describe("governance propose / review / vote / sign / submit / tally / export / recount / verify-log", () => {
  let hash = "";
  it("submits a proposal and opens voting after three reviews", async () => {
    const r = await cli("governance", "propose", "--key", keyFile("p1"), "--file", "proposal.json", "--passphrase-env", "PASS", "--json");
    expect(r.code).toBe(0);
    hash = JSON.parse(r.stdout).proposal_hash;
    expect(hash).toMatch(/^0x[0-9a-f]{64}$/);
    const statuses = [];
    for (const id of ["r1", "r2", "r3"]) statuses.push(JSON.parse((await cli("governance", "review", "--key", keyFile(id), "--proposal", hash, "--recommendation", "APPROVE", "--passphrase-env", "PASS", "--json")).stdout).status);
    expect(statuses).toEqual(["UNDER_REVIEW", "UNDER_REVIEW", "VOTING"]);
  });
  it("casts a vote (exit 0) and refuses a reviewer's vote (exit 1, MISSING_ROLE)", async () => {
    expect((await cli("governance", "vote", "--key", keyFile("v1"), "--proposal", hash, "--choice", "YES", "--passphrase-env", "PASS")).code).toBe(0);
    const r = await cli("governance", "vote", "--key", keyFile("r1"), "--proposal", hash, "--choice", "YES", "--passphrase-env", "PASS", "--json");
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("MISSING_ROLE");
    expect((await cli("governance", "vote", "--key", keyFile("v1"), "--proposal", "0xABC", "--choice", "YES", "--passphrase-env", "PASS")).code).toBe(2);
  });
  it("signs offline and submits; a replayed envelope exits 1 with NONCE_NOT_INCREASING", async () => {
    writeFileSync(path.join(dir, "vote.json"), JSON.stringify({ type: "vote", body: { proposal_hash: hash, choice: "NO" } }));
    const s = await cli("governance", "sign", "--key", keyFile("v2"), "--message", "vote.json", "--out", "vote.env.json", "--passphrase-env", "PASS", "--json");
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout).message).toMatchObject({ signer: "v2", network_id: "mathledger-devnet", expires_at: NOW + 3600 });
    expect((await cli("governance", "submit", "--envelope", "vote.env.json")).code).toBe(0);
    const replay = await cli("governance", "submit", "--envelope", "vote.env.json", "--json");
    expect(replay.code).toBe(1);
    expect(replay.stdout + replay.stderr).toContain("NONCE_NOT_INCREASING");
  });
  it("tallies, exports a bundle and CSV, and recounts the bundle offline to the same tally", async () => {
    const t = JSON.parse((await cli("governance", "tally", "--proposal", hash, "--json")).stdout);
    expect([t.status, t.tally.yes, t.tally.no]).toEqual(["VOTING", "1", "2"]);
    expect((await cli("governance", "export", "--proposal", hash, "--out", "audit")).code).toBe(0);
    expect(readFileSync(path.join(dir, "audit", `${hash}.votes.csv`), "utf8").trim().split("\n")).toHaveLength(3);
    const rc = await cli("governance", "recount", "--bundle", path.join("audit", `${hash}.bundle.json`), "--json");
    expect(rc.code).toBe(0);
    expect(JSON.parse(rc.stdout)).toMatchObject({ matches_server: true, votes_verified: 2, tally: t.tally });
    const show = await cli("governance", "show", "--proposal", hash);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("VOTING");
  });
  it("runs the council flow: declare, sign, show", async () => {
    const d = await cli("governance", "emergency", "declare", "--key", keyFile("c1"), "--trigger", "t", "--evidence", "e", "--passphrase-env", "PASS", "--json");
    expect(d.code).toBe(0);
    const e = JSON.parse(d.stdout).emergency_hash;
    const dup = await cli("governance", "emergency", "sign", "--key", keyFile("c1"), "--emergency", e, "--passphrase-env", "PASS", "--json");
    expect([dup.code, (dup.stdout + dup.stderr).includes("DUPLICATE_SIGNER")]).toEqual([1, true]);
    expect(JSON.parse((await cli("governance", "show", "--emergency", e, "--json")).stdout)).toMatchObject({ status: "PENDING", declarer: "c1" });
  });
  it("verify-log exits 0 on an intact chain and 1 after a row is edited", async () => {
    expect((await cli("governance", "verify-log")).code).toBe(0);
    await f.pool.query("UPDATE governance_audit_log SET created_at = created_at + 1 WHERE seq = 2");
    const r = await cli("governance", "verify-log", "--json");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, seq: 2, code: "AUDIT_CHAIN_BROKEN" });
  });
});

describe("governance recount of a large bundle (verification threads)", () => {
  it("recounts 119 votes on the verification threads to the bundle's tally, and refuses one tampered vote", async () => {
    const genesis = testGenesis();
    const proposal = signAs("p1", { type: "proposal", body: SAMPLE_PROPOSAL_BODY }, { nonce: 1 });
    const hash = messageDigest(proposal.message);
    const voters = genesis.members.filter((m) => m.roles.includes("voter")).map((m) => m.id);
    const choices = ["YES", "NO", "ABSTAIN"] as const;
    const votes = Array.from({ length: 119 }, (_, i) => signAs(voters[i % voters.length], { type: "vote", body: { proposal_hash: hash, choice: choices[i % 3] } }, { nonce: 1 + Math.floor(i / voters.length) }));
    const powers = freezePowerTable(genesis.members);
    const tally = tallyVotes(votes.map((v) => ({ voter: v.message.signer, choice: v.message.body.choice, nonce: v.message.nonce })), powers);
    const bundle = { format: BUNDLE_FORMAT, version: 1, network_id: TEST_NETWORK, proposal_hash: hash, proposal, members: genesis.members, power_table: powers, votes, tally };
    writeFileSync(path.join(dir, "large.bundle.json"), JSON.stringify(bundle));
    const ok = await cli("governance", "recount", "--bundle", "large.bundle.json", "--json");
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ matches_server: true, votes_verified: 119, tally });
    const tampered = JSON.parse(JSON.stringify(bundle));
    tampered.votes[100].message.body.choice = tampered.votes[100].message.body.choice === "YES" ? "NO" : "YES";
    writeFileSync(path.join(dir, "tampered.bundle.json"), JSON.stringify(tampered));
    const bad = await cli("governance", "recount", "--bundle", "tampered.bundle.json");
    expect(bad.code).toBe(1);
    expect(bad.stderr + bad.stdout).toContain("BAD_SIGNATURE_ED25519");
  }, 120_000);
});
