/**
 * Ingest: validates incoming blocks with the consensus core and stores each block, its verdict and every violation,
 * following the fork-choice rule across competing branches.
 *
 * One call is one transaction holding a PostgreSQL advisory lock, so the devnet producer, HTTP pushes and imports
 * (possibly from different processes) never interleave: either the whole batch is stored, with the caller's cursor
 * update (`beforeCommit`), or nothing is. That is what lets an import resume after SIGKILL with no gap and no
 * duplicate.
 *
 * Rules:
 *  - idempotent: a block whose content id is already stored (or repeated in the batch) is skipped;
 *  - a payload that is not a block (see lib/ingest/admission.ts) refuses the whole batch with AppError("INVALID_INPUT");
 *  - a block whose predecessor height holds no block at all refuses the batch with AppError("ORPHAN_BLOCK");
 *  - a valid block that extends the canonical tip becomes canonical; an invalid block never does;
 *  - a valid block on another branch is stored non-canonical, then lib's planReorg decides whether that branch
 *    replaces the canonical suffix; an adopted reorg flips the canonical flags and is recorded in `reorgs`.
 *
 * Hot path: a run of blocks each extending the tip is validated in memory against the previous block's header and
 * written with a few multi-row INSERT ... SELECT FROM unnest(...) statements per batch.
 */
import type pg from "pg";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { from as copyFrom } from "pg-copy-streams";
import { AppError } from "../../lib/errors";
import type { HashSuite } from "../../lib/crypto/hash-algorithms";
import { blockContentId, blockHash, type Block } from "../../lib/consensus/block";
import { findEpoch, type Epoch } from "../../lib/consensus/epochs";
import { parseBlock } from "../../lib/consensus/parse-block";
import { blockDigests, validateBlock, type BlockValidation } from "../../lib/consensus/validate-block";
import { planReorg, DEFAULT_FORK_CHOICE_PARAMS, type ForkChoiceParams, type ReorgPlan } from "../../lib/consensus/fork-choice";
import { admissionRefusal, admissionRefusalOfParsed } from "../../lib/ingest/admission";
import { blockFromRow, type BlockHeaderRow } from "../chain/block-rows";
import { loadEpochRegistry } from "../chain/epoch-registry";
import { loadCanonicalBlocks } from "../chain/canonical-blocks";
import { insertObservations, recordRefusals, storedObservation, type ObservationRow } from "../drift/block-observations";
import { logRelayBlocks } from "../relay/relay-log";
import { addLatencies, INGEST_DURATION, VALIDATION_DURATION } from "../drift/latency-histograms";

export type IngestSource = "devnet" | "import" | "http";

/** Arbitrary constant key for pg_advisory_xact_lock: "MLPQ" as an int. */
const INGEST_LOCK_KEY = 0x4d4c5051;

export interface IngestOptions {
  source: IngestSource;
  suite: HashSuite;
  /** Validator clock, Unix seconds (for the advisory future-timestamp check). */
  now?: number;
  forkChoice?: ForkChoiceParams;
  /** Runs inside the transaction after the blocks are written (e.g. to advance an import cursor atomically). */
  beforeCommit?: (client: pg.PoolClient, summary: IngestSummary) => Promise<void>;
  /** Work done ahead by prepareBatch (for these same raws); reused where its assumptions still hold. */
  prepared?: PreparedBatch;
  /** Time each block took to seal, by input index, when the caller sealed them (the devnet): for the drift radar. */
  sealingMs?: readonly (number | null)[];
  /**
   * Write the drift radar's block observations (default true). Only the radar benchmark turns this off, to measure
   * what the radar adds to ingest; a node that skipped them would hide blocks from its monitors.
   */
  observe?: boolean;
  /**
   * The peer these blocks were relayed from (X-MathLedger-Relay-From), so the relay does not send them back to it.
   * Every valid block stored is logged for the peers in this same transaction (server/relay/relay-log.ts).
   */
  relayFrom?: string | null;
}

/** One block worked out ahead of the transaction, assuming it extends `prevLegacyHash` (a genesis block: none). */
export interface PreparedBlock {
  block: Block;
  /** Why the payload is refused (lib/ingest/admission.ts), or null: checked here so ingest need not again. */
  refusal: string | null;
  contentId: string;
  /** The legacy hash of the predecessor it was validated against (null: not validated ahead). */
  prevLegacyHash: string | null;
  validation: BlockValidation | null;
  /** How long `validation` took (for the drift radar's performance monitor). */
  validationMs: number | null;
  legacyHash: string | null;
  pqHash: string | null;
}

export interface PreparedBatch {
  /** The registry the validations assumed (compared by value when reused). */
  epochsKey: string;
  items: PreparedBlock[];
  /** The tip after the batch if every block extends the chain validly (the next batch's assumption). */
  endTip: TipState | null;
}

/** The canonical tip as ingest tracks it: its header and its legacy hash. */
export interface TipState {
  block: Block;
  legacyHash: string;
}

/**
 * Parses, identifies and validates a batch ahead of its transaction, assuming each block extends the previous one
 * from `tip`. Yields to the event loop every few blocks, so it can run while the previous batch's INSERTs are in
 * PostgreSQL: that overlap of JavaScript validation with database work is what lets import use both cores.
 */
export async function prepareBatch(
  raws: readonly unknown[],
  context: { epochs: Epoch[]; tip: TipState | null; suite: HashSuite; now?: number },
  speculated?: readonly SpeculatedBlock[],
): Promise<PreparedBatch> {
  const { epochs, suite } = context;
  let tip = context.tip;
  const items: PreparedBlock[] = [];
  for (let i = 0; i < raws.length; i++) {
    // Work done by the validation threads needs no yielding; only the blocks checked here do.
    if (!speculated && i % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
    const parsed = parseBlock(raws[i]);
    const block = parsed.block;
    const ahead = speculated?.[i];
    const item: PreparedBlock = {
      block,
      refusal: ahead ? ahead.refusal : admissionRefusalOfParsed(parsed),
      contentId: ahead ? ahead.contentId : blockContentId(block, suite),
      prevLegacyHash: null,
      validation: null,
      validationMs: null,
      legacyHash: null,
      pqHash: null,
    };
    items.push(item);
    if (block.block_number === 0) {
      // A genesis block is judged without a predecessor whatever the chain holds, so this validation never goes stale
      // (prevLegacyHash stays null: there is no link to check). It is the tip only on an empty chain.
      const reused = ahead?.validation && ahead.prevLegacyHash === null ? ahead : null;
      const [validation, validationMs]: [BlockValidation, number | null] = reused
        ? [{ ...reused.validation!, block }, null]
        : timedValidation(block, { epochs, prev: null, suite, now: context.now });
      const digests = reused ? { legacy_hash: reused.legacyHash!, pq_hash: reused.pqHash } : blockDigests(block, findEpoch(epochs, 0) ?? null, suite);
      Object.assign(item, { validation, validationMs, legacyHash: digests.legacy_hash, pqHash: digests.pq_hash });
      tip = tip === null && validation.verdict === "VALID" ? { block, legacyHash: digests.legacy_hash } : null;
    } else if (tip && block.block_number === tip.block.block_number + 1 && block.prev_hash === tip.legacyHash) {
      // A thread's validation holds when it assumed this same predecessor: for i > 0 a non-null tip is always block
      // i - 1 (what the thread assumed too), for i = 0 the thread was given context.tip; the hash confirms it.
      const reused = ahead?.validation && ahead.prevLegacyHash === tip.legacyHash ? ahead : null;
      const [validation, validationMs]: [BlockValidation, number | null] = reused
        ? [{ ...reused.validation!, block }, null]
        : timedValidation(block, { epochs, prev: tip.block, suite, now: context.now });
      const digests = reused ? { legacy_hash: reused.legacyHash!, pq_hash: reused.pqHash } : blockDigests(block, findEpoch(epochs, block.block_number) ?? null, suite);
      Object.assign(item, { prevLegacyHash: tip.legacyHash, validation, validationMs, legacyHash: digests.legacy_hash, pqHash: digests.pq_hash });
      tip = validation.verdict === "VALID" ? { block, legacyHash: digests.legacy_hash } : null;
    } else {
      tip = null;
    }
  }
  return { epochsKey: JSON.stringify(epochs), items, endTip: tip };
}

/**
 * What a validation thread worked out for one block of a batch (see validation-pool.ts), assuming the block before it
 * in the batch (or, for the first block, the tip it was given) is its valid predecessor. prepareBatch reuses it only
 * where that assumption turns out true, so the result is the same as validating on the main thread.
 */
export interface SpeculatedBlock {
  refusal: string | null;
  contentId: string;
  /** The predecessor's legacy hash it was validated against; null with a validation: judged as a genesis block. */
  prevLegacyHash: string | null;
  validation: Omit<BlockValidation, "block"> | null;
  legacyHash: string | null;
  pqHash: string | null;
}

/**
 * The thread side: parses, identifies and validates `raws` in order, each block against the one before it (the first
 * against `prev`), exactly as prepareBatch would if every earlier block had been valid. Pure: no database, no I/O.
 */
export function speculateBlocks(
  raws: readonly unknown[],
  context: { epochs: Epoch[]; prev: TipState | null; suite: HashSuite; now?: number },
): SpeculatedBlock[] {
  const { epochs, suite } = context;
  let tip = context.prev;
  return raws.map((raw): SpeculatedBlock => {
    const parsed = parseBlock(raw);
    const block = parsed.block;
    const out: SpeculatedBlock = {
      refusal: admissionRefusalOfParsed(parsed),
      contentId: blockContentId(block, suite),
      prevLegacyHash: null,
      validation: null,
      legacyHash: null,
      pqHash: null,
    };
    const linked = block.block_number === 0 || (tip && block.block_number === tip.block.block_number + 1 && block.prev_hash === tip.legacyHash);
    if (out.refusal === null && linked) {
      const full = validateBlock(block, { epochs, prev: block.block_number === 0 ? null : tip!.block, suite, now: context.now });
      // The block itself stays behind: the main thread has parsed its own copy, and sending it back costs a clone.
      const validation = { block_number: full.block_number, verdict: full.verdict, violations: full.violations, epoch: full.epoch, predecessor_checked: full.predecessor_checked };
      const digests = blockDigests(block, findEpoch(epochs, block.block_number) ?? null, suite);
      Object.assign(out, { prevLegacyHash: block.block_number === 0 ? null : tip!.legacyHash, validation, legacyHash: digests.legacy_hash, pqHash: digests.pq_hash });
      // Whether the chain goes on from here is the main thread's call (a genesis block is the tip only on an empty
      // chain); assuming it does costs nothing when it does not: that block's result is simply not reused.
      tip = validation.verdict === "VALID" ? { block, legacyHash: digests.legacy_hash } : null;
    } else {
      tip = null;
    }
    return out;
  });
}

export interface IngestSummary {
  received: number;
  stored: number;
  duplicates: number;
  valid: number;
  invalid: number;
  /** Blocks stored as canonical directly (not counting those made canonical by a reorg). */
  extended: number;
  reorgs: ReorgPlan[];
  /** Competing-branch decisions other than ADOPT (KEEP or REJECT), for logs. */
  forkDecisions: ReorgPlan[];
  tip: { block_number: number; legacy_hash: string } | null;
  /** Content ids of the stored blocks, in input order. */
  storedIds: string[];
  /** One entry per received block, in input order: what happened to it. */
  blocks: IngestedBlock[];
}

export interface IngestedBlock {
  content_id: string;
  block_number: number;
  /** "stored" or "duplicate" (already stored, or repeated in this batch). */
  outcome: "stored" | "duplicate";
  /** Null for duplicates (see the stored copy). */
  verdict: "VALID" | "INVALID" | null;
  violations: { code: string; severity: string; field: string | null; message: string }[];
}

/** A stored block header as ingest tracks it (statements only where loaded). */
export interface StoredHeader {
  id: string;
  block: Block;
  legacyHash: string;
  canonical: boolean;
}

/** One stored block as insertRows writes it: the block, its identity and digests, and its verdict. */
export interface PendingRow {
  contentId: string;
  block: Block;
  legacyHash: string;
  pqHash: string | null;
  canonical: boolean;
  validation: Pick<BlockValidation, "verdict" | "violations">;
  raw: unknown;
}

/** Ingests `raws` (decoded JSON values, in order). Throws AppError on bad input, with nothing written. */
export async function ingestBlocks(pool: pg.Pool, raws: readonly unknown[], options: IngestOptions): Promise<IngestSummary> {
  const started = performance.now();
  const preparedFor = options.prepared && options.prepared.items.length === raws.length ? options.prepared : null;
  const refusals = raws.map((raw, i) => (preparedFor ? preparedFor.items[i].refusal : admissionRefusal(raw)));
  const first = refusals.findIndex((r) => r !== null);
  if (first >= 0) {
    // A refused block is still evidence for the drift radar; recording it never changes the answer to the sender.
    await recordRefusals(pool, raws, { source: options.source, epochs: await loadEpochRegistry(pool), suite: options.suite, now: options.now }).catch(
      (error: Error) => console.error(`[ingest] could not record refused blocks for the drift radar: ${error.message}`),
    );
    throw new AppError("INVALID_INPUT", raws.length > 1 ? `block ${first + 1} of ${raws.length}: ${refusals[first]}` : refusals[first]!);
  }
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [INGEST_LOCK_KEY]);
    const validationTimes: number[] = [];
    const summary = await ingestInTransaction(client, raws, options, validationTimes);
    // /metrics' latency histograms, in the batch's transaction (server/drift/latency-histograms.ts). A block's ingest
    // latency is its batch's time from this call to here: the blocks of a batch become durable together. (COMMIT's
    // own WAL flush is not included: the figure is written by the transaction it measures.)
    const ingestSeconds = (performance.now() - started) / 1000;
    await addLatencies(client, options.source, {
      [INGEST_DURATION]: new Array<number>(summary.stored).fill(ingestSeconds),
      [VALIDATION_DURATION]: validationTimes.map((ms) => ms / 1000),
    });
    await options.beforeCommit?.(client, summary);
    await client.query("COMMIT");
    return summary;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}


const HEADER_COLUMNS =
  "id, block_number, timestamp, prev_hash, merkle_root, pq_algorithm, pq_prev_hash, pq_merkle_root, dual_commitment, legacy_hash, canonical";

type HeaderQueryRow = BlockHeaderRow & { id: string; legacy_hash: string; canonical: boolean };

function toStored(row: HeaderQueryRow, statements: string[] = []): StoredHeader {
  return { id: String(row.id), block: blockFromRow(row, statements), legacyHash: row.legacy_hash, canonical: row.canonical };
}

/** The canonical tip's header (no statements), row id and legacy hash, or null on an empty chain. */
export async function loadCanonicalTip(db: pg.Pool | pg.PoolClient): Promise<StoredHeader | null> {
  const { rows } = await db.query<HeaderQueryRow>(`SELECT ${HEADER_COLUMNS} FROM blocks WHERE canonical ORDER BY block_number DESC LIMIT 1`);
  return rows[0] ? toStored(rows[0]) : null;
}

/**
 * `validationTimes` receives the validation time (ms) of each stored block that was timed: validated here or ahead on
 * the main thread (prepareBatch); blocks validated ahead by validation threads carry no per-block time.
 */
async function ingestInTransaction(client: pg.PoolClient, raws: readonly unknown[], options: IngestOptions, validationTimes: number[]): Promise<IngestSummary> {
  const { suite } = options;
  const epochs = await loadEpochRegistry(client);
  if (epochs.length === 0) throw new AppError("NO_EPOCH_REGISTRY", "the database has no epoch registry; the node cannot validate blocks");
  const summary: IngestSummary = {
    received: raws.length,
    stored: 0,
    duplicates: 0,
    valid: 0,
    invalid: 0,
    extended: 0,
    reorgs: [],
    forkDecisions: [],
    tip: null,
    storedIds: [],
    blocks: [],
  };

  const prepared = options.prepared && options.prepared.items.length === raws.length && options.prepared.epochsKey === JSON.stringify(epochs) ? options.prepared : null;
  const blocks = prepared ? prepared.items.map((p) => p.block) : raws.map((raw) => parseBlock(raw).block);
  const ids = prepared ? prepared.items.map((p) => p.contentId) : blocks.map((b) => blockContentId(b, suite));
  const { rows: existing } = await client.query<{ content_id: string }>("SELECT content_id FROM blocks WHERE content_id = ANY($1::text[])", [ids]);
  const seen = new Set(existing.map((r) => r.content_id));

  let tip = await loadCanonicalTip(client);
  let pending: PendingRow[] = [];
  const observations: ObservationRow[] = [];

  const flush = async () => {
    if (pending.length === 0) return;
    await insertRows(client, pending, options.source);
    pending = [];
  };

  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    const contentId = ids[i];
    if (seen.has(contentId)) {
      summary.duplicates++;
      summary.blocks.push({ content_id: contentId, block_number: block.block_number, outcome: "duplicate", verdict: null, violations: [] });
      continue;
    }
    seen.add(contentId);
    const epoch = findEpoch(epochs, block.block_number) ?? null;

    const ahead = prepared?.items[i];
    const record = (validation: BlockValidation, canonical: boolean, timedMs: number | null): PendingRow => {
      if (timedMs !== null) validationTimes.push(timedMs);
      const digests =
        ahead?.validation === validation ? { legacy_hash: ahead.legacyHash!, pq_hash: ahead.pqHash } : blockDigests(block, epoch, suite);
      const row: PendingRow = { contentId, block, legacyHash: digests.legacy_hash, pqHash: digests.pq_hash, canonical, validation, raw: raws[i] };
      pending.push(row);
      observations.push(storedObservation(block, row.legacyHash, validation, options.source, { sealing_ms: options.sealingMs?.[i], validation_ms: timedMs }));
      summary.stored++;
      summary.storedIds.push(contentId);
      summary.blocks.push({
        content_id: contentId,
        block_number: block.block_number,
        outcome: "stored",
        verdict: validation.verdict,
        violations: validation.violations.map((v) => ({ code: v.code, severity: v.severity, field: v.field, message: v.message })),
      });
      if (validation.verdict === "VALID") summary.valid++;
      else summary.invalid++;
      return row;
    };

    // Hot path: the block extends the canonical tip.
    if (tip && block.block_number === tip.block.block_number + 1 && isParent(tip, block, epochs, suite)) {
      const [validation, validationMs] =
        ahead?.validation && ahead.prevLegacyHash === tip.legacyHash
          ? [ahead.validation, ahead.validationMs]
          : timedValidation(block, { epochs, prev: tip.block, suite, now: options.now });
      const canonical = validation.verdict === "VALID";
      const row = record(validation, canonical, validationMs);
      if (canonical) {
        summary.extended++;
        tip = { id: "", block, legacyHash: row.legacyHash, canonical: true };
      }
      continue;
    }

    // Everything else needs the database to be current.
    await flush();
    if (block.block_number === 0) {
      const [validation, validationMs] =
        ahead?.validation && ahead.block === block ? [ahead.validation, ahead.validationMs] : timedValidation(block, { epochs, prev: null, suite, now: options.now });
      const canonical = validation.verdict === "VALID" && tip === null;
      const row = record(validation, canonical, validationMs);
      await flush();
      if (canonical) {
        summary.extended++;
        tip = { id: "", block, legacyHash: row.legacyHash, canonical: true };
      }
      continue;
    }

    const candidates = (await client.query<HeaderQueryRow>(`SELECT ${HEADER_COLUMNS} FROM blocks WHERE block_number = $1 ORDER BY canonical DESC, id`, [block.block_number - 1])).rows.map((r) => toStored(r));
    if (candidates.length === 0) {
      throw new AppError("ORPHAN_BLOCK", `block ${block.block_number} cannot be placed: no block ${block.block_number - 1} is known (send blocks in order, starting from a known block)`);
    }
    const parent = candidates.find((c) => isParent(c, block, epochs, suite));
    // Without a matching parent the block is judged against the canonical block at that height, which reports the
    // broken link (and whatever else is wrong).
    const judgeAgainst = parent ?? candidates.find((c) => c.canonical) ?? candidates[0];
    const [validation, validationMs] = timedValidation(block, { epochs, prev: judgeAgainst.block, suite, now: options.now });
    record(validation, false, validationMs);
    await flush();
    if (validation.verdict !== "VALID" || !parent || !tip) continue;

    const plan = await evaluateBranch(client, contentId, tip, epochs, options);
    if (plan.decision === "ADOPT") {
      summary.reorgs.push(plan);
      tip = await loadCanonicalTip(client);
    } else {
      summary.forkDecisions.push(plan);
    }
  }
  await flush();
  if (options.observe !== false) await insertObservations(client, observations);
  // Only what was stored and judged valid is passed on: duplicates were already relayed (no loops), refusals never get
  // here (they throw before the transaction), and an invalid block is kept as evidence, not spread.
  await logRelayBlocks(
    client,
    summary.blocks.filter((b) => b.outcome === "stored" && b.verdict === "VALID").map((b) => ({ contentId: b.content_id, blockNumber: b.block_number })),
    options.relayFrom ?? null,
  );

  if (tip) summary.tip = { block_number: tip.block.block_number, legacy_hash: tip.legacyHash };
  if (summary.stored > 0) {
    const last = summary.storedIds[summary.storedIds.length - 1];
    const lastBlock = blocks[ids.lastIndexOf(last)];
    await client.query(
      `INSERT INTO ingest_cursors (source, last_block_number, last_content_id, updated_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (source) DO UPDATE SET last_block_number = EXCLUDED.last_block_number, last_content_id = EXCLUDED.last_content_id, updated_at = now()`,
      [options.source, lastBlock.block_number, last],
    );
  }
  return summary;
}

/** Loads the branch ending at the stored block `contentId`, asks the core's fork choice, and applies an ADOPT. */
async function evaluateBranch(
  client: pg.PoolClient,
  contentId: string,
  tip: StoredHeader,
  epochs: Epoch[],
  options: IngestOptions,
): Promise<ReorgPlan> {
  // Walk back through non-canonical ancestors to the fork point (the first canonical ancestor). Branches are short
  // (a handful of blocks, bounded by finality), so one small query per height is fine.
  const start = (await client.query<HeaderQueryRow>(`SELECT ${HEADER_COLUMNS} FROM blocks WHERE content_id = $1`, [contentId])).rows[0];
  const chain: StoredHeader[] = [toStored(start)];
  while (!chain[0].canonical) {
    const child = chain[0].block;
    if (child.block_number === 0) break;
    const { rows } = await client.query<HeaderQueryRow>(`SELECT ${HEADER_COLUMNS} FROM blocks WHERE block_number = $1`, [child.block_number - 1]);
    const parent = rows.map((r) => toStored(r)).find((p) => isParent(p, child, epochs, options.suite));
    if (!parent) break;
    chain.unshift(parent);
  }
  const forkIndex = chain.findIndex((s) => !s.canonical) - 1;
  if (forkIndex < 0 || !chain[0].canonical) return disconnectedBranchPlan(client, chain, tip, epochs, options);
  const forkPoint = chain[forkIndex];
  const branch = chain.slice(forkIndex + 1);
  const from = forkPoint.block.block_number;
  const to = tip.block.block_number;
  const canonical = await loadCanonicalBlocks(client, from, to, to - from + 1);
  const branchWithStatements = await withStatements(client, branch);
  const plan = planReorg({
    canonical,
    branch: branchWithStatements.map((s) => s.block),
    epochs,
    params: options.forkChoice ?? DEFAULT_FORK_CHOICE_PARAMS,
    suite: options.suite,
  });
  if (plan.decision === "ADOPT") {
    await client.query("UPDATE blocks SET canonical = false WHERE canonical AND block_number > $1", [forkPoint.block.block_number]);
    await client.query("UPDATE blocks SET canonical = true WHERE id = ANY($1::bigint[])", [branch.map((s) => s.id)]);
    await client.query(
      `INSERT INTO reorgs (fork_point_block, old_tip_block, new_tip_block, old_tip_hash, new_tip_hash, rolled_back_count, added_count, report)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        plan.fork_point,
        plan.old_tip?.block_number ?? -1,
        plan.new_tip?.block_number ?? -1,
        plan.old_tip?.hash ?? "",
        plan.new_tip?.hash ?? "",
        plan.rolled_back.length,
        plan.adopted.length,
        JSON.stringify(plan),
      ],
    );
  }
  return plan;
}

/** validateBlock and the milliseconds it took (the drift radar's validation-time series). */
function timedValidation(block: Block, options: Parameters<typeof validateBlock>[1]): [BlockValidation, number] {
  const started = performance.now();
  const validation = validateBlock(block, options);
  return [validation, performance.now() - started];
}

/**
 * A branch whose oldest stored block links to no stored block (it was stored as evidence of a broken link, and a
 * valid block was then built on it) does not reach the canonical chain, so it can never be adopted. The core still
 * judges it from the canonical block below it, which reports the broken link; whatever it says, the plan is a REJECT.
 * (Found by the push fuzz test: this used to be an internal error, answered 500.)
 */
async function disconnectedBranchPlan(client: pg.PoolClient, chain: StoredHeader[], tip: StoredHeader, epochs: Epoch[], options: IngestOptions): Promise<ReorgPlan> {
  const oldest = chain[0].block.block_number;
  const from = Math.max(0, oldest - 1);
  const to = Math.max(from, tip.block.block_number);
  const canonical = await loadCanonicalBlocks(client, from, to, to - from + 1);
  const branch = (await withStatements(client, chain)).map((s) => s.block);
  const plan = planReorg({ canonical, branch, epochs, params: options.forkChoice ?? DEFAULT_FORK_CHOICE_PARAMS, suite: options.suite });
  if (plan.decision === "REJECT") return plan;
  return {
    ...plan,
    decision: "REJECT",
    reason: "UNKNOWN_FORK_POINT",
    message: `the branch ending at block ${chain[chain.length - 1].block.block_number} does not reach the canonical chain: block ${oldest} links to no stored block`,
    rolled_back: [],
  };
}

/** True when `child` links to `candidate` on its primary link (prev_hash, or pq_prev_hash for PQ-only blocks). */
function isParent(candidate: { block: Block; legacyHash: string }, child: Block, epochs: Epoch[], suite: HashSuite): boolean {
  if (child.prev_hash !== null) return candidate.legacyHash === child.prev_hash;
  const epochAlgorithm = findEpoch(epochs, child.block_number)?.algorithm_id;
  const pqId = child.pq_algorithm ?? (epochAlgorithm !== undefined && epochAlgorithm !== 0 ? epochAlgorithm : null);
  return pqId !== null && blockHash(candidate.block, suite.get(pqId)) === child.pq_prev_hash;
}

async function withStatements(client: pg.PoolClient, headers: StoredHeader[]): Promise<StoredHeader[]> {
  if (headers.length === 0) return headers;
  const { rows } = await client.query<{ block_id: string; text: string }>(
    "SELECT block_id, text FROM statements WHERE block_id = ANY($1::bigint[]) ORDER BY block_id, position",
    [headers.map((h) => h.id)],
  );
  const byBlock = new Map<string, string[]>();
  for (const r of rows) {
    const key = String(r.block_id);
    if (!byBlock.has(key)) byBlock.set(key, []);
    byBlock.get(key)!.push(r.text);
  }
  return headers.map((h) => ({ ...h, block: { ...h.block, statements: byBlock.get(h.id) ?? [] } }));
}

/** Escapes a value for COPY's text format: backslash, tab, newline and carriage return. */
function copyEscape(value: string): string {
  return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : value;
}

/**
 * Writes blocks (INSERT ... SELECT FROM unnest), their statements (COPY) and violations, in the caller's transaction.
 * Exported for the benchmark's raw bulk-insert baseline (bench/stages/ingest.ts), which must use the same SQL.
 */
export async function insertRows(client: pg.PoolClient, rows: PendingRow[], source: IngestSource): Promise<void> {
  const col = <T>(f: (r: PendingRow) => T) => rows.map(f);
  const inserted = await client.query<{ id: string; content_id: string }>(
    `INSERT INTO blocks (content_id, block_number, timestamp, prev_hash, merkle_root, pq_algorithm, pq_prev_hash, pq_merkle_root,
                         dual_commitment, legacy_hash, pq_hash, statement_count, canonical, verdict, source, raw_json)
     SELECT * FROM unnest($1::text[], $2::int[], $3::bigint[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[],
                          $9::text[], $10::text[], $11::text[], $12::int[], $13::bool[], $14::text[], $15::text[], $16::jsonb[])
     RETURNING id, content_id`,
    [
      col((r) => r.contentId),
      col((r) => r.block.block_number),
      col((r) => String(r.block.timestamp)),
      col((r) => r.block.prev_hash),
      col((r) => r.block.merkle_root),
      col((r) => r.block.pq_algorithm),
      col((r) => r.block.pq_prev_hash),
      col((r) => r.block.pq_merkle_root),
      col((r) => r.block.dual_commitment),
      col((r) => r.legacyHash),
      col((r) => r.pqHash),
      col((r) => r.block.statements.length),
      col((r) => r.canonical),
      col((r) => r.validation.verdict),
      col(() => source),
      // The raw payload is kept only when it says something the columns do not: a block with violations.
      col((r) => (r.validation.violations.length > 0 ? JSON.stringify(r.raw) : null)),
    ],
  );
  const idOf = new Map(inserted.rows.map((r) => [r.content_id, String(r.id)]));
  const sBlock: string[] = [];
  const sPos: number[] = [];
  const sText: string[] = [];
  const vBlock: string[] = [];
  const v: { code: string[]; severity: string[]; field: (string | null)[]; expected: (string | null)[]; actual: (string | null)[]; message: string[] } = {
    code: [], severity: [], field: [], expected: [], actual: [], message: [],
  };
  for (const r of rows) {
    const id = idOf.get(r.contentId)!;
    r.block.statements.forEach((text, position) => {
      sBlock.push(id);
      sPos.push(position);
      sText.push(text);
    });
    for (const x of r.validation.violations) {
      vBlock.push(id);
      v.code.push(x.code);
      v.severity.push(x.severity);
      v.field.push(x.field);
      v.expected.push(x.expected);
      v.actual.push(x.actual);
      v.message.push(x.message);
    }
  }
  if (sBlock.length) {
    // COPY rather than INSERT ... unnest: statements are most of the rows, and COPY's text format is both cheaper to
    // build here and cheaper for PostgreSQL to parse than array literals (measured: about 2x on this machine).
    let text = "";
    for (let i = 0; i < sBlock.length; i++) text += `${sBlock[i]}\t${sPos[i]}\t${copyEscape(sText[i])}\n`;
    await pipeline(Readable.from([text]), client.query(copyFrom("COPY statements (block_id, position, text) FROM STDIN")));
  }
  if (vBlock.length) {
    await client.query(
      `INSERT INTO violations (block_id, code, severity, field, expected, actual, message)
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`,
      [vBlock, v.code, v.severity, v.field, v.expected, v.actual, v.message],
    );
  }
}
