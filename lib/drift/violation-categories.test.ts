import { describe, expect, it } from "vitest";
import { VIOLATION_CODES } from "../consensus/violations";
import { categoryOfViolation } from "./violation-categories";

describe("categoryOfViolation", () => {
  it("sorts every violation code into a category (by its field where the code is about one field), except an ignored unknown field", () => {
    const fields = [null, "prev_hash", "merkle_root", "pq_algorithm", "pq_prev_hash", "pq_merkle_root", "dual_commitment", "statements[2]", "block_number", "timestamp", "block"];
    for (const code of VIOLATION_CODES) {
      for (const field of fields) {
        const category = categoryOfViolation({ code, field });
        if (code === "UNKNOWN_FIELD") expect(category).toBeNull();
        else if (field !== null || ["NO_EPOCH", "UNKNOWN_RULE_VERSION"].includes(code)) expect(category, `${code} ${field}`).not.toBeNull();
      }
    }
  });
  it("a malformed or missing field is drift of the field's category", () => {
    expect(categoryOfViolation({ code: "MALFORMED_FIELD", field: "pq_merkle_root" })).toBe("consistency");
    expect(categoryOfViolation({ code: "MALFORMED_FIELD", field: "pq_prev_hash" })).toBe("lineage");
    expect(categoryOfViolation({ code: "MALFORMED_FIELD", field: "dual_commitment" })).toBe("commitment");
    expect(categoryOfViolation({ code: "MISSING_PQ_FIELD", field: "pq_algorithm" })).toBe("algorithm_mismatch");
    expect(categoryOfViolation({ code: "UNEXPECTED_PQ_FIELD", field: "dual_commitment" })).toBe("commitment");
    expect(categoryOfViolation({ code: "MALFORMED_FIELD", field: "statements[7]" })).toBe("consistency");
  });
  it("block-level codes are sorted by code whatever the field", () => {
    expect(categoryOfViolation({ code: "DUAL_COMMITMENT_MISMATCH", field: "dual_commitment" })).toBe("commitment");
    expect(categoryOfViolation({ code: "ALGORITHM_MISMATCH", field: "pq_algorithm" })).toBe("algorithm_mismatch");
    expect(categoryOfViolation({ code: "BLOCK_NUMBER_DISCONTINUITY", field: "block_number" })).toBe("lineage");
  });
});
