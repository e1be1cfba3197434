/* eslint-disable @typescript-eslint/no-explicit-any -- edits of untyped genesis JSON */
import { describe, expect, it } from "vitest";
import { parseGenesis, requireRole } from "./members";
import { codeOf } from "./test-codes";
import { testGenesis, testMember } from "./test-members";

const json = () => JSON.parse(JSON.stringify(testGenesis()));

describe("parseGenesis", () => {
  it("reads the demo genesis (7 council, 3 reviewers, 2 proposers, 10 voters)", () => {
    const g = parseGenesis(json());
    expect(g.members).toHaveLength(22);
    expect(g.params.activation_lead_blocks).toBe(100);
  });
  it("defaults the attestation period when absent", () => {
    const g = json();
    delete g.params.attestation_period_seconds;
    expect(parseGenesis(g).params.attestation_period_seconds).toBe(259200);
  });
  it.each([
    ["six council members", (g: any) => (g.members[0].roles = ["voter"])],
    ["a duplicate member id", (g: any) => (g.members[1].id = g.members[0].id)],
    ["a reused public key", (g: any) => (g.members[1].keys = g.members[0].keys)],
    ["an unknown role", (g: any) => (g.members[9].roles = ["king"])],
    ["fractional voting power", (g: any) => (g.members[12].voting_power = 1.5)],
    ["a short ML-DSA key", (g: any) => (g.members[12].keys.ml_dsa_65 = "0x00")],
    ["a missing param", (g: any) => delete g.params.voting_period_seconds],
    ["an unknown field", (g: any) => (g.extra = 1)],
  ])("refuses %s with INVALID_GENESIS", (_name, edit) => {
    const g = json();
    edit(g);
    expect(codeOf(() => parseGenesis(g))).toBe("INVALID_GENESIS");
  });
});

describe("requireRole", () => {
  it("throws MISSING_ROLE naming the role", () => {
    expect(codeOf(() => requireRole(testMember("v1", ["voter"]), "council", "sign"))).toBe("MISSING_ROLE");
    expect(codeOf(() => requireRole(testMember("v1", ["voter"]), "voter", "vote"))).toBeUndefined();
  });
});
