import { describe, expect, it } from "vitest";
import type { VoteChoice } from "./bodies";
import { signMessage } from "./envelope";
import { BUNDLE_FORMAT, recountBundle, recountBundleWith } from "./recount";
import { hybridVerdict, type HybridSignatureCheck } from "./hybrid-keys";
import { freezePowerTable, tallyVotes } from "./tally";
import { codeOf } from "./test-codes";
import { SAMPLE_PROPOSAL_BODY, signAs, testGenesis, testKey, TEST_NETWORK } from "./test-members";
import { messageDigest } from "./message";

const genesis = testGenesis();
const proposal = signAs("p1", { type: "proposal", body: SAMPLE_PROPOSAL_BODY }, { nonce: 1 });
const proposalHash = messageDigest(proposal.message);
const vote = (voter: string, choice: VoteChoice, nonce: number, hash = proposalHash) => signAs(voter, { type: "vote", body: { proposal_hash: hash, choice } }, { nonce });
const powers = freezePowerTable(genesis.members);
const votes = [vote("c1", "YES", 1), vote("c2", "YES", 1), vote("v10", "NO", 1), vote("v10", "YES", 2), vote("c3", "ABSTAIN", 1)];
const bundle = (over: Record<string, unknown> = {}) =>
  JSON.parse(
    JSON.stringify({
      format: BUNDLE_FORMAT,
      version: 1,
      network_id: TEST_NETWORK,
      proposal_hash: proposalHash,
      proposal,
      members: genesis.members,
      power_table: powers,
      votes,
      tally: tallyVotes(
        votes.map((v) => ({ voter: v.message.signer, choice: v.message.body.choice, nonce: v.message.nonce })),
        powers,
      ),
      ...over,
    }),
  );

describe("recountBundle", () => {
  it("re-verifies every vote and reproduces the server's tally (latest vote per voter)", () => {
    const r = recountBundle(bundle());
    expect(r.votes_verified).toBe(5);
    expect(r.matches_server).toBe(true);
    expect(r.tally.yes).toBe("30");
    expect(r.tally.no).toBe("0");
  });
  it("reports a server tally that does not match", () => {
    const b = bundle();
    b.tally.yes = "31";
    expect(recountBundle(b).matches_server).toBe(false);
  });
  it("refuses a vote with a tampered choice", () => {
    const b = bundle();
    b.votes[0].message.body.choice = "NO";
    expect(codeOf(() => recountBundle(b))).toBe("BAD_SIGNATURE_ED25519");
  });
  it("refuses a vote on another proposal, a duplicated vote and a vote without frozen power", () => {
    expect(codeOf(() => recountBundle(bundle({ votes: [vote("c1", "YES", 5, `0x${"ee".repeat(32)}`)] })))).toBe("UNKNOWN_TARGET");
    expect(codeOf(() => recountBundle(bundle({ votes: [votes[0], votes[0]] })))).toBe("NONCE_NOT_INCREASING");
    expect(codeOf(() => recountBundle(bundle({ votes: [vote("r1", "YES", 1)] })))).toBe("ZERO_VOTING_POWER");
  });
  it("refuses a proposal envelope that is not the named proposal", () => {
    const other = signMessage({ ...proposal.message, nonce: 2 }, testKey("p1"));
    expect(codeOf(() => recountBundle(bundle({ proposal: other })))).toBe("UNKNOWN_TARGET");
  });
});

describe("recountBundleWith", () => {
  // An asynchronous check as the CLI's threads give one (answers arrive later, out of order).
  const later: HybridSignatureCheck = (signatures, input, keys) => new Promise((resolve) => setTimeout(() => resolve(hybridVerdict(signatures, input, keys)), Math.random() * 5));
  const outcome = async (f: () => Promise<unknown>) => f().then((r) => r, (e: { code: string }) => e.code);

  it("gives recountBundle's result on a good bundle, with few checks in flight", async () => {
    expect(await recountBundleWith(bundle(), later, 2)).toEqual(recountBundle(bundle()));
  });

  it("reports the first fault in bundle order, as recountBundle does, whatever order the checks finish in", async () => {
    const tamperedLate = bundle();
    tamperedLate.votes[4].message.body.choice = "NO";
    const twoFaults = bundle({ votes: [votes[0], vote("c1", "YES", 5, `0x${"ee".repeat(32)}`), votes[2]] });
    twoFaults.votes[2].signatures.ml_dsa_65 = twoFaults.votes[0].signatures.ml_dsa_65;
    const votesNotAList = bundle({ votes: "none", proposal: signMessage({ ...proposal.message, nonce: 2 }, testKey("p1")) });
    for (const b of [tamperedLate, twoFaults, votesNotAList, bundle({ votes: [votes[0], votes[0]] })]) {
      const expected = codeOf(() => recountBundle(JSON.parse(JSON.stringify(b))));
      expect(expected).toBeDefined();
      expect(await outcome(() => recountBundleWith(b, later))).toBe(expected);
    }
  });
});
