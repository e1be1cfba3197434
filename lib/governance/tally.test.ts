import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAppError } from "../errors";
import type { VoteChoice } from "./bodies";
import { checkVote, freezePowerTable, latestVotes, tallyVotes, type CastVote } from "./tally";
import { testGenesis, testMember } from "./test-members";

/** One voter per unit of power keeps boundary cases readable: yes/no/abstain voters of power 1, rest silent. */
function scenario(yes: number, no: number, abstain: number, silent: number) {
  const powers: Record<string, number> = {};
  const votes: CastVote[] = [];
  let n = 0;
  const add = (count: number, choice: VoteChoice | null) => {
    for (let i = 0; i < count; i++) {
      const id = `v${n++}`;
      powers[id] = 1;
      if (choice) votes.push({ voter: id, choice, nonce: 1 });
    }
  };
  add(yes, "YES");
  add(no, "NO");
  add(abstain, "ABSTAIN");
  add(silent, null);
  return tallyVotes(votes, powers);
}

describe("tallyVotes: approval 667/1000", () => {
  it("does NOT pass at exactly two thirds (2 yes, 1 no)", () => {
    const t = scenario(2, 1, 0, 0);
    expect(t.quorum_met).toBe(true);
    expect(t.approval_met).toBe(false);
    expect(t.outcome).toBe("REJECTED");
  });
  it("passes at exactly 667/1000 and fails at 666/1000", () => {
    expect(scenario(667, 333, 0, 0).approval_met).toBe(true);
    expect(scenario(666, 334, 0, 0).approval_met).toBe(false);
  });
  it("ignores abstentions in approval but counts them in participation", () => {
    const t = scenario(1, 0, 9, 0);
    expect(t.approval_met).toBe(true);
    expect(t.cast).toBe("10");
  });
  it("fails approval when nobody voted YES or NO", () => {
    expect(scenario(0, 0, 5, 0).approval_met).toBe(false);
  });
});

describe("tallyVotes: quorum 40%", () => {
  it("meets quorum at exactly 40% participation and misses it just below", () => {
    expect(scenario(4, 0, 0, 6).quorum_met).toBe(true);
    expect(scenario(3, 0, 0, 7).quorum_met).toBe(false);
    expect(scenario(400, 0, 0, 600).quorum_met).toBe(true);
    expect(scenario(399, 0, 0, 601).quorum_met).toBe(false);
  });
  it("reports the smallest power meeting quorum, rounded up", () => {
    expect(scenario(0, 0, 0, 10).quorum_power).toBe("4");
    expect(scenario(0, 0, 0, 11).quorum_power).toBe("5");
  });
  it("rejects when quorum is missed even with unanimous approval", () => {
    expect(scenario(3, 0, 0, 7).outcome).toBe("REJECTED");
  });
  it("never meets quorum with no voting power at all", () => {
    expect(tallyVotes([], {}).quorum_met).toBe(false);
  });
});

describe("tallyVotes: latest vote per voter and frozen power", () => {
  it("counts only each voter's latest vote (highest nonce), whatever the order received", () => {
    const powers = { a: 5, b: 3 };
    const votes: CastVote[] = [
      { voter: "a", choice: "NO", nonce: 9 },
      { voter: "a", choice: "YES", nonce: 3 },
      { voter: "b", choice: "YES", nonce: 1 },
    ];
    const t = tallyVotes(votes, powers);
    expect([t.yes, t.no, t.voters]).toEqual(["3", "5", 2]);
    expect(latestVotes(votes).map((v) => v.nonce)).toEqual([9, 1]);
  });
  it("uses the frozen table: a vote by someone absent from it carries no power", () => {
    const t = tallyVotes([{ voter: "late", choice: "YES", nonce: 1 }], { a: 1 });
    expect(t.yes).toBe("0");
  });
  it("stays exact beyond 2^53 total power", () => {
    const big = Number.MAX_SAFE_INTEGER;
    const t = tallyVotes(
      [
        { voter: "a", choice: "YES", nonce: 1 },
        { voter: "b", choice: "YES", nonce: 1 },
      ],
      { a: big, b: big, c: 1 },
    );
    expect(t.yes).toBe((2n * BigInt(big)).toString());
    expect(t.total_power).toBe((2n * BigInt(big) + 1n).toString());
  });
  it("agrees with the plan's floating-point formulas for small powers (property)", () => {
    const choice = fc.constantFrom<VoteChoice | null>("YES", "NO", "ABSTAIN", null);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 1000 }), choice), { maxLength: 30 }), (voters) => {
        const powers: Record<string, number> = {};
        const votes: CastVote[] = [];
        voters.forEach(([p, c], i) => {
          powers[`v${i}`] = p;
          if (c) votes.push({ voter: `v${i}`, choice: c, nonce: 1 });
        });
        const t = tallyVotes(votes, powers);
        const sum = (c: VoteChoice) => votes.filter((v) => v.choice === c).reduce((s, v) => s + powers[v.voter], 0);
        const [y, n, a] = [sum("YES"), sum("NO"), sum("ABSTAIN")];
        const total = Object.values(powers).reduce((s, p) => s + p, 0);
        const quorum = total > 0 && (y + n + a) / total >= 0.4;
        const approval = (y + n > 0 ? y / (y + n) : 0) >= 0.667;
        expect(t.quorum_met).toBe(quorum);
        expect(t.approval_met).toBe(approval);
      }),
      { numRuns: 300 },
    );
  });
  it("is independent of the order votes arrive in (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ voter: fc.constantFrom("a", "b", "c"), choice: fc.constantFrom<VoteChoice>("YES", "NO", "ABSTAIN"), nonce: fc.integer({ min: 1, max: 1e6 }) })), (votes) => {
        const unique = [...new Map(votes.map((v) => [`${v.voter}/${v.nonce}`, v])).values()];
        const powers = { a: 2, b: 3, c: 5 };
        expect(tallyVotes([...unique].reverse(), powers)).toEqual(tallyVotes(unique, powers));
      }),
    );
  });
});

describe("freezePowerTable", () => {
  it("holds every voter with positive power and nobody else", () => {
    const table = freezePowerTable(testGenesis().members);
    expect(Object.keys(table)).toHaveLength(17);
    expect(table.r1).toBeUndefined();
    expect(table.v10).toBe(10);
  });
});

describe("checkVote", () => {
  const voter = testMember("v1", ["voter"], 1);
  const code = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      return isAppError(e) ? e.code : "?";
    }
    return undefined;
  };
  it("accepts a voter with power while voting is open, up to the last second", () => {
    expect(code(() => checkVote(voter, "VOTING", 1000, 999, { v1: 1 }))).toBeUndefined();
  });
  it("refuses at the window's end, in another phase, without the role, or with zero power", () => {
    expect(code(() => checkVote(voter, "VOTING", 1000, 1000, { v1: 1 }))).toBe("WRONG_PHASE");
    expect(code(() => checkVote(voter, "UNDER_REVIEW", 1000, 1, { v1: 1 }))).toBe("WRONG_PHASE");
    expect(code(() => checkVote(testMember("r1", ["reviewer"]), "VOTING", 1000, 1, { r1: 1 }))).toBe("MISSING_ROLE");
    expect(code(() => checkVote(voter, "VOTING", 1000, 1, { v1: 0 }))).toBe("ZERO_VOTING_POWER");
    expect(code(() => checkVote(voter, "VOTING", 1000, 1, {}))).toBe("ZERO_VOTING_POWER");
  });
});
