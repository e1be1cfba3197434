/**
 * `mathledger-cli validate-block`: judges one block under the rules of its own epoch and against its predecessor
 * (lib/consensus/validate-block.ts). Prints the verdict and every violation; exits 0 when VALID (advisory LOW
 * violations allowed) and 1 when INVALID.
 *
 * Three forms, exactly one per run:
 *   --file FILE --epochs FILE [--prev-file FILE]   a block file, judged here, offline, alone or against a predecessor;
 *   --file FILE --server URL [--epochs FILE] [--prev-file FILE]
 *                                                  the same file judged by a running node (POST URL/api/v1/validate,
 *                                                  cli/remote/validate-on-node.ts): its registry and its stored
 *                                                  predecessor unless the files are given, and whether it stores the
 *                                                  block (issue 11 §3);
 *   --block-number N                               the canonical block N of the node's database, judged against the
 *                                                  canonical block N-1 and the registry stored there (issue 3 §6).
 * The result and its printing are the same for all three.
 *
 * A block file that is a JSON object is always judged, even when its fields are malformed (MALFORMED_FIELD is a
 * violation, exit 1); one that is absent, unreadable, not JSON or not an object is an input error (exit 2).
 */
import type { BlockValidation } from "../../lib/consensus/validate-block";
import { validateBlock } from "../../lib/consensus/validate-block";
import type { Block } from "../../lib/consensus/block";
import { loadEpochRegistry } from "../../server/chain/epoch-registry";
import { loadCanonicalBlock } from "../../server/chain/canonical-blocks";
import { usageError } from "../args/parse-args";
import { defineCommand, type CommandContext } from "../command";
import { noCanonicalBlock, withChainDatabase } from "../database";
import { readBlockFile, readEpochsFile, readPredecessorFile } from "../inputs/block-files";
import { validateOnNode, type RemoteValidation } from "../remote/validate-on-node";

const NAME = "validate-block";

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

/**
 * The text report: a verdict line, then each violation with its code, severity, field, expected, actual, message.
 * `unchecked` says why the links were not checked when they were not (the default fits the file form).
 */
export function validationText(result: BlockValidation, predecessorGiven: boolean, unchecked = "no --prev-file"): string {
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
      : `links to the predecessor not checked: ${unchecked}`;
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
  name: NAME,
  summary: "validate a block file or a stored block; print the verdict and every violation",
  description:
    "Validates a block under the rules of the epoch that covers its number and its links to the predecessor (block " +
    "number, timestamp, both prev-hashes). Either --file with --epochs (and, to check the links, --prev-file), or " +
    "--block-number N: the canonical block N in the node's database, judged against the canonical block N-1 and the " +
    "epoch registry stored there (DATABASE_URL, or the embedded PostgreSQL of `npm start`). Every violation is " +
    "reported with its code, severity, field, expected and actual values and a message. Exit 0: VALID (LOW " +
    "violations are advisory). Exit 1: INVALID, including a JSON object with malformed fields. Exit 2: the file " +
    "is missing, unreadable, not JSON or not a JSON object, the epochs or predecessor file is unusable, there is no " +
    "canonical block N, or the database cannot be reached. With --server URL the file is judged by a running node " +
    "instead (no database needed here; the node stores nothing): under the node's registry unless --epochs is given, " +
    "against the node's stored canonical block below it unless --prev-file is given; exit 2 also when the node cannot " +
    "be reached or refuses the request.",
  synopsis: "(--file FILE --epochs FILE [--prev-file FILE] | --file FILE --server URL [--epochs FILE] [--prev-file FILE] | --block-number N)",
  flags: {
    file: { kind: "string", value: "FILE", description: "the block to validate (a JSON object); needs --epochs" },
    epochs: { kind: "string", value: "FILE", description: "the epoch registry for --file (a JSON array of epochs)" },
    "prev-file": { kind: "string", value: "FILE", description: "the predecessor of --file, to check the links (omit for a lone check)" },
    "block-number": { kind: "integer", value: "N", description: "validate the canonical block N of the node's database instead of a file" },
    server: {
      kind: "string",
      value: "URL",
      description: "ask a running node to validate --file (POST URL/api/v1/validate; nothing is stored); --epochs and --prev-file become optional: the node's registry and stored predecessor",
    },
  },
  examples: [
    "mathledger-cli validate-block --file block-1.json --epochs epochs.json --prev-file block-0.json",
    "mathledger-cli validate-block --file block-1.json --epochs epochs.json --json",
    "mathledger-cli validate-block --block-number 200",
    "mathledger-cli validate-block --file block-1.json --server http://127.0.0.1:3000",
  ],
  async run(flags, context) {
    const blockNumber = flags["block-number"];
    if (blockNumber !== undefined) {
      if (flags.file !== undefined) throw usageError(NAME, "give either --file FILE or --block-number N, not both");
      for (const name of ["epochs", "prev-file"] as const) {
        if (flags[name] !== undefined) throw usageError(NAME, `--${name} goes with --file; --block-number reads the registry and the predecessor from the database`);
      }
      if (flags.server !== undefined) throw usageError(NAME, "--server goes with --file; for a stored block ask the node's database with --block-number alone");
      return validateStoredBlock(blockNumber, context);
    }
    if (flags.server !== undefined) {
      if (flags.file === undefined) throw usageError(NAME, "--server needs the block to send: --file FILE");
      const block = await readBlockFile(flags.file, context.cwd);
      const registry = flags.epochs === undefined ? undefined : await readEpochsFile(flags.epochs, context.cwd);
      const predecessor = flags["prev-file"] === undefined ? undefined : await readPredecessorFile(flags["prev-file"], context.cwd);
      return remoteResult(await validateOnNode(flags.server, { block, predecessor, registry }));
    }
    if (flags.file === undefined) throw usageError(NAME, "give the block: --file FILE --epochs FILE, or --block-number N");
    if (flags.epochs === undefined) throw usageError(NAME, "--epochs FILE is required with --file (or let a running node judge it: --server URL)");
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

/** The database form: canonical block N, its canonical predecessor and the stored registry. */
async function validateStoredBlock(blockNumber: number, context: CommandContext) {
  return withChainDatabase(context, async ({ pool }) => {
    const [block, prev, epochs] = await Promise.all([
      loadCanonicalBlock(pool, blockNumber),
      blockNumber > 0 ? loadCanonicalBlock(pool, blockNumber - 1) : Promise.resolve<Block | null>(null),
      loadEpochRegistry(pool),
    ]);
    if (!block) throw await noCanonicalBlock(pool, blockNumber);
    const result = validateBlock(block, { epochs, prev, suite: await context.hashSuite(), now: context.now() });
    return {
      outcome: result.verdict === "VALID" ? ("ok" as const) : ("invalid" as const),
      json: validationJson(result),
      text: validationText(result, prev !== null, `no canonical block ${blockNumber - 1} is stored`),
    };
  });
}

/** The node's answer printed like a local validation, plus what only the node knows. */
function remoteResult({ result, context, endpoint }: RemoteValidation) {
  const validation = {
    block_number: result.block_number,
    verdict: result.verdict,
    violations: result.violations.map((v) => ({ ...v, block_number: result.block_number })),
    epoch: result.epoch,
    predecessor_checked: result.predecessor_checked,
  } as BlockValidation;
  const stored = result.stored
    ? `stored by the node: block ${result.stored.block_number}, ${result.stored.canonical ? "canonical" : "not canonical"}, ${result.stored.verdict} (${result.stored.link})`
    : "not stored by the node";
  const lines = [
    validationText(validation, context.predecessor.block !== null, context.predecessor.note),
    "",
    `validated by ${endpoint} (registry: ${context.registry.source === "node" ? "the node's" : "--epochs"}; predecessor: ${context.predecessor.note}; ${context.implementation})`,
    stored,
  ];
  return {
    outcome: result.verdict === "VALID" ? ("ok" as const) : ("invalid" as const),
    json: {
      ...(validationJson(validation) as Record<string, unknown>),
      legacy_hash: result.legacy_hash,
      pq_hash: result.pq_hash,
      content_id: result.content_id,
      stored: result.stored,
      server: { endpoint, registry: context.registry.source, predecessor: context.predecessor.source, predecessor_note: context.predecessor.note },
    },
    text: lines.join("\n"),
  };
}
