/**
 * `mathledger-cli validate-block`: judges one block file under the rules of its own epoch and, with --prev-file,
 * against its predecessor (lib/consensus/validate-block.ts). Prints the verdict and every violation; exits 0 when
 * VALID (advisory LOW violations allowed) and 1 when INVALID.
 *
 * A block file that is a JSON object is always judged, even when its fields are malformed (MALFORMED_FIELD is a
 * violation, exit 1); one that is absent, unreadable, not JSON or not an object is an input error (exit 2).
 * The online half (issue 3 §6) adds `--block-number N`, reading the block, its predecessor and the registry from the
 * database; the result and its printing below stay the same.
 */
import type { BlockValidation } from "../../lib/consensus/validate-block";
import { validateBlock } from "../../lib/consensus/validate-block";
import { defineCommand } from "../command";
import { readBlockFile, readEpochsFile, readPredecessorFile } from "../inputs/block-files";

/** The --json document: the validation result without the echoed block (which can be megabytes of statements). */
export function validationJson(result: BlockValidation): unknown {
  return {
    verdict: result.verdict,
    block_number: result.block_number,
    epoch: result.epoch,
    predecessor_checked: result.predecessor_checked,
    violations: result.violations,
  };
}

/** The text report: a verdict line, then each violation with its code, severity, field, expected, actual, message. */
export function validationText(result: BlockValidation, predecessorGiven: boolean): string {
  const blocking = result.violations.filter((v) => v.severity !== "LOW").length;
  const advisory = result.violations.length - blocking;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  const subject = result.block_number === null ? "block (number unreadable)" : `block ${result.block_number}`;
  const epoch = result.epoch
    ? `epoch from block ${result.epoch.start_block}: ${result.epoch.rule_version}, ${result.epoch.algorithm_name}`
    : "no epoch resolved";
  const links = result.predecessor_checked
    ? "links checked"
    : predecessorGiven
      ? "links to the predecessor not checked"
      : "links to the predecessor not checked: no --prev-file";
  const summary =
    result.verdict === "VALID"
      ? `VALID: ${subject} (${epoch}; ${links})${advisory ? `, ${count(advisory, "advisory violation")}` : ""}`
      : `INVALID: ${subject}, ${count(blocking, "violation")}${advisory ? ` and ${count(advisory, "advisory violation")}` : ""} (${epoch}; ${links})`;
  const lines = [summary];
  for (const v of result.violations) {
    lines.push("");
    lines.push(`${v.severity} ${v.code}${v.field === null ? "" : ` field ${v.field}`}`);
    lines.push(`  expected: ${v.expected ?? "-"}`);
    lines.push(`  actual:   ${v.actual ?? "-"}`);
    lines.push(`  ${v.message}`);
  }
  return lines.join("\n");
}

export const validateBlockCommand = defineCommand({
  name: "validate-block",
  summary: "validate a block file; print the verdict and every violation",
  description:
    "Validates the block in --file under the rules of the epoch that covers its number (from --epochs) and, with " +
    "--prev-file, its links to the predecessor (block number, timestamp, both prev-hashes). Every violation is " +
    "reported with its code, severity, field, expected and actual values and a message. Exit 0: VALID (LOW " +
    "violations are advisory). Exit 1: INVALID, including a JSON object with malformed fields. Exit 2: the file " +
    "is missing, unreadable, not JSON or not a JSON object, or the epochs or predecessor file is unusable.",
  flags: {
    file: { kind: "string", value: "FILE", required: true, description: "the block to validate (a JSON object)" },
    epochs: { kind: "string", value: "FILE", required: true, description: "the epoch registry (a JSON array of epochs)" },
    "prev-file": { kind: "string", value: "FILE", description: "the predecessor block, to check the links (omit for a lone check)" },
  },
  examples: [
    "mathledger-cli validate-block --file block-1.json --epochs epochs.json --prev-file block-0.json",
    "mathledger-cli validate-block --file block-1.json --epochs epochs.json --json",
  ],
  async run(flags, context) {
    const block = await readBlockFile(flags.file, context.cwd);
    const epochs = await readEpochsFile(flags.epochs, context.cwd);
    const prev = flags["prev-file"] === undefined ? null : await readPredecessorFile(flags["prev-file"], context.cwd);
    const result = validateBlock(block, { epochs, prev, suite: await context.hashSuite(), now: context.now() });
    return {
      outcome: result.verdict === "VALID" ? "ok" : "invalid",
      json: validationJson(result),
      text: validationText(result, prev !== null),
    };
  },
});
