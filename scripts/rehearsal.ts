/**
 * `npm run rehearsal`: the plan's rollback rehearsal (PLAN.md §5, docs/operators/rollback_rehearsal.md) end to end on
 * a fresh devnet, driven through the product's own services, as the worker, the portal and the CLI drive them:
 *
 *   1. a fresh database (DATABASE_URL's server, or the embedded PostgreSQL) holding a legacy-only registry, the demo
 *      governance genesis with its key files written to a temporary data directory (as `npm start` writes them), and
 *      the devnet producer sealing legacy blocks;
 *   2. activation through governance: a proposal (v2-dual-required, SHA3-256) by `margaret`, three reviews, votes by
 *      the 7 council members and the 10 voters (keys unlocked from the demo key files with their passphrase), the
 *      voting window closed by the worker's step, the activation epoch registered;
 *   3. at least 100 blocks sealed under the PQ epoch;
 *   4. an emergency declared by `ada` and signed by 4 more council members (PENDING at 4, DECLARED and broadcast at 5);
 *   5. the rollback epoch (v1-legacy, SHA-256) registered above the tip; blocks sealed under it, SHA-256 only;
 *   6. `mathledger-cli verify-chain` over the whole chain (both switches), `pq status`, the audit log's hash chain.
 *
 * Prints the plan's checklist ticked with what was measured and the time of each step; exits 1 when any item fails.
 * Time is real except the voting window: the worker's step is called at the window's end (600 s in the demo genesis)
 * rather than waited for, which is what the worker does when that moment comes.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { listTransitions, makeEpoch, resolveEpoch } from "../lib/consensus/epochs";
import { loadWasmHashSuite } from "../lib/crypto/wasm-hash-suite";
import type { MessageType } from "../lib/governance/bodies";
import { signMessage } from "../lib/governance/envelope";
import type { HybridSigningKey } from "../lib/governance/hybrid-keys";
import { decryptKeyFile } from "../lib/governance/key-file";
import { buildMessage, type MessageDraft } from "../lib/governance/message";
import { beat } from "../server/chain/heartbeat";
import { getChainStatus } from "../server/chain/chain-status";
import { canonicalTipNumber, loadEpochRegistry, replaceEpochRegistry } from "../server/chain/epoch-registry";
import { createPgPool } from "../server/db/pg-pool";
import { createTestDatabase, type TestDatabase } from "../server/db/test-database";
import { produceDevnetBlock } from "../server/devnet/devnet-producer";
import { applyOperatorAction } from "../server/drift/operator-actions";
import { verifyStoredAuditLog } from "../server/governance/audit-store";
import { setCriticalGovernanceEventSink, type CriticalGovernanceEvent } from "../server/governance/governance-events";
import { seedGovernance } from "../server/governance/governance-store";
import { advanceGovernance } from "../server/governance/governance-transitions";
import { nodeScrypt } from "../server/governance/node-scrypt";
import { DEMO_NETWORK_ID, writeDemoGenesis } from "../server/governance/genesis-setup";
import { submitEnvelope } from "../server/governance/submit-envelope";
import { checklistPassed, formatChecklist, planChecklist, tick } from "./rehearsal/checklist";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "bin", "mathledger-cli.mjs");
const COUNCIL = ["ada", "grace", "alan", "barbara", "edsger", "frances", "donald"];
const REVIEWERS = ["radia", "leslie", "tony"];
const VOTERS = Array.from({ length: 10 }, (_, i) => `voter-${String(i + 1).padStart(2, "0")}`);
/** The plan's "at least 100 PQ blocks sealed"; a few more so the tip is clearly past it. */
const PQ_BLOCKS = 105;
const LEGACY_BLOCKS_AFTER_ROLLBACK = 20;

const checklist = planChecklist();
const timings: Array<{ step: string; ms: number }> = [];
const issues: string[] = [];
const log = (message: string) => process.stderr.write(`[rehearsal] ${message}\n`);

class RehearsalFailure extends Error {}
function check(condition: unknown, text: string, detail: string): asserts condition {
  if (!condition) {
    tick(checklist, text, "fail", detail);
    throw new RehearsalFailure(`${text}: ${detail}`);
  }
  tick(checklist, text, "pass", detail);
}

async function timed<T>(step: string, fn: () => Promise<T>): Promise<T> {
  const t = performance.now();
  try {
    return await fn();
  } finally {
    timings.push({ step, ms: performance.now() - t });
  }
}

/** Runs the real CLI against the rehearsal's database; never throws on a non-zero exit. */
function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) =>
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") return reject(error);
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    }),
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  let db: TestDatabase | null = null;
  let pool: pg.Pool | null = null;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "mlpq-rehearsal-"));
  const events: CriticalGovernanceEvent[] = [];
  setCriticalGovernanceEventSink((e) => void events.push(e));
  try {
    // ---- 1. a fresh devnet: legacy registry, demo genesis, legacy blocks -------------------------------------------
    const suite = await loadWasmHashSuite();
    const t0 = Math.floor(Date.now() / 1000);
    const { genesis, keys } = await timed("fresh devnet: database, legacy registry, demo genesis and its 22 key files unlocked", async () => {
      db = await createTestDatabase();
      pool = createPgPool(db.url, 5);
      await replaceEpochRegistry(pool, [makeEpoch(0, "v1-legacy", 0, t0)]);
      const demo = await writeDemoGenesis(path.join(dataDir, "devnet-keys"));
      await seedGovernance(pool, demo.genesis);
      // The demo keys as a member unlocks them: the key file and the passphrase `npm start` prints.
      const unlocked = new Map<string, HybridSigningKey>();
      const passphrase = readFileSync(path.join(dataDir, "devnet-keys", "PASSPHRASE"), "utf8").trim();
      for (const m of demo.genesis.members) {
        const file = JSON.parse(readFileSync(path.join(dataDir, "devnet-keys", `${m.id}.key`), "utf8"));
        unlocked.set(m.id, (await decryptKeyFile(file, passphrase, nodeScrypt)).key);
      }
      return { genesis: demo.genesis, keys: unlocked };
    });
    const p = pool!;
    const d = db!;
    const cliEnv = { DATABASE_URL: d.url, MATHLEDGER_DATA_DIR: dataDir };
    const produce = async (n: number) => {
      for (let i = 0; i < n; i++) await produceDevnetBlock(p, { suite, holder: "rehearsal", intervalMs: 1000, seed: 1, peers: 0 });
      await beat(p, "rehearsal", "worker");
    };
    await timed("devnet: 10 legacy blocks", () => produce(10));

    const nonces = new Map<string, number>();
    const submit = async <T extends MessageType>(signer: string, draft: MessageDraft<T>, now = Math.floor(Date.now() / 1000)) => {
      const nonce = Math.max(Date.now(), (nonces.get(signer) ?? 0) + 1);
      nonces.set(signer, nonce);
      const message = buildMessage(draft, { network_id: genesis.network_id, signer, nonce, issued_at: now, ttl_seconds: 3600 });
      return submitEnvelope(p, signMessage(message, keys.get(signer)!), { now });
    };

    // ---- 2. activation through governance ---------------------------------------------------------------------------
    const lead = genesis.params.activation_lead_blocks;
    const activationBlock = (await canonicalTipNumber(p)) + lead + 10;
    const proposalHash = await timed("governance: proposal, 3 reviews, 17 votes, approval", async () => {
      const proposal = await submit("margaret", {
        type: "proposal",
        body: {
          proposal_id: "PQ-REHEARSAL-1",
          proposal_type: "epoch_activation",
          title: "Rehearsal: activate SHA3-256 dual commitments",
          activation_block: activationBlock,
          epoch_parameters: { algorithm_id: 1, algorithm_name: "SHA3-256", rule_version: "v2-dual-required" },
          rationale: "Rollback rehearsal (npm run rehearsal).",
          benchmark_results: {},
          risk_assessment: { level: "rehearsal" },
          implementation_readiness: { nodes_upgraded_percent: 100 },
          endorsements: [],
        },
      });
      const hash = proposal.proposal_hash!;
      let status = proposal.status;
      for (const r of REVIEWERS) {
        status = (await submit(r, { type: "review", body: { proposal_hash: hash, recommendation: "APPROVE", code_review: { ok: true }, test_review: { ok: true }, benchmark_review: { ok: true }, security_review: { ok: true }, docs_review: { ok: true } } })).status;
      }
      if (status !== "VOTING") throw new RehearsalFailure(`three approving reviews left the proposal ${status}, not VOTING`);
      for (const v of COUNCIL) await submit(v, { type: "vote", body: { proposal_hash: hash, choice: "YES" } });
      for (const [i, v] of VOTERS.entries()) await submit(v, { type: "vote", body: { proposal_hash: hash, choice: i < 8 ? "YES" : i === 8 ? "NO" : "ABSTAIN" } });
      // The worker's step at the window's end finalizes the tally and registers the epoch.
      const { rows } = await p.query<{ voting_ends_at: string }>("SELECT voting_ends_at FROM governance_proposals WHERE hash = $1", [hash]);
      const step = await advanceGovernance(p, Number(rows[0].voting_ends_at));
      const outcome = step.finalized.find((f) => f.proposal_hash === hash)?.status;
      if (outcome !== "SCHEDULED") throw new RehearsalFailure(`the proposal was finalized as ${outcome ?? "nothing"}, not SCHEDULED`);
      return hash;
    });
    const registered = (await loadEpochRegistry(p)).find((e) => e.governance_hash === proposalHash);
    if (!registered || registered.start_block !== activationBlock || registered.rule_version !== "v2-dual-required") {
      throw new RehearsalFailure(`no v2-dual-required epoch at block ${activationBlock} carries the proposal's hash`);
    }
    log(`activation approved: proposal ${proposalHash}, epoch v2-dual-required from block ${activationBlock}`);

    // ---- 3. blocks under the PQ epoch --------------------------------------------------------------------------------
    await timed(`devnet: legacy blocks up to ${activationBlock - 1}, then ${PQ_BLOCKS} PQ blocks`, async () => {
      await produce(activationBlock + PQ_BLOCKS - 1 - (await canonicalTipNumber(p)));
      await advanceGovernance(p);
    });
    const pqBlocks = await p.query<{ n: number }>("SELECT count(*)::int AS n FROM blocks WHERE canonical AND block_number >= $1 AND pq_algorithm = 1 AND dual_commitment IS NOT NULL", [activationBlock]);
    const { rows: activated } = await p.query<{ status: string }>("SELECT status FROM governance_proposals WHERE hash = $1", [proposalHash]);
    const tipAfterPq = await canonicalTipNumber(p);
    check(activated[0].status === "ACTIVATED" && resolveEpoch(await loadEpochRegistry(p), tipAfterPq).governance_hash === proposalHash, "Testnet running with PQ epoch active", `proposal ACTIVATED; epoch v2-dual-required (SHA3-256) in force from block ${activationBlock}, tip ${tipAfterPq}`);
    check(pqBlocks.rows[0].n >= 100, "At least 100 PQ blocks sealed", `${pqBlocks.rows[0].n} blocks with a SHA3-256 chain and a dual commitment (blocks ${activationBlock}-${tipAfterPq})`);
    const healthBefore = await getChainStatus(p, { expectedIntervalSeconds: 2 });
    check(healthBefore.network_health === "HEALTHY", "All nodes upgraded and healthy", `one devnet node, health ${healthBefore.network_health}${healthBefore.health_reasons.length ? ` (${healthBefore.health_reasons.join("; ")})` : ""}`);

    // ---- 4. emergency declaration, 5 of 7 ---------------------------------------------------------------------------
    const declaredAt = performance.now();
    const emergencyHash = await timed("emergency: declaration and 4 more council signatures", async () => {
      const declaration = await submit("ada", { type: "emergency_declaration", body: { trigger: "rehearsal: PQ root mismatch reported by the drift radar", evidence: "npm run rehearsal" } });
      const hash = declaration.emergency_hash!;
      tick(checklist, "Emergency council convenes", "pass", `7 council keys unlocked from the demo key files; ada declared (status ${declaration.status})`);
      const statuses = [declaration.status];
      for (const member of COUNCIL.slice(1, 5)) statuses.push((await submit(member, { type: "emergency_signature", body: { emergency_hash: hash } })).status);
      check(statuses.slice(0, 4).every((s) => s === "PENDING") && statuses[4] === "DECLARED", "5/7 council members sign emergency declaration", `statuses after each signature: ${statuses.join(" → ")}`);
      return hash;
    });
    const broadcast = events.filter((e) => e.kind === "EMERGENCY_DECLARED" && e.emergency_hash === emergencyHash);
    check(broadcast.length === 1 && broadcast[0].signers.length === 5, "Emergency broadcast to network", `one CRITICAL EMERGENCY_DECLARED event, emitted at the fifth signature, signed by ${broadcast[0]?.signers.join(", ")}`);

    // ---- 5. rollback ----------------------------------------------------------------------------------------------
    const rollbackBlock = (await canonicalTipNumber(p)) + 5;
    await timed("rollback: epoch registered", () => submit("grace", { type: "rollback", body: { emergency_hash: emergencyHash, rollback_block: rollbackBlock } }));
    const registry = await loadEpochRegistry(p);
    const rollbackEpoch = registry.at(-1)!;
    const transition = listTransitions(registry).at(-1)!;
    check(
      rollbackEpoch.start_block === rollbackBlock && rollbackEpoch.rule_version === "v1-legacy" && rollbackEpoch.algorithm_id === 0 && rollbackEpoch.governance_hash === emergencyHash && transition.kind === "rollback",
      "Rollback epoch registered",
      `v1-legacy (SHA-256, 0x00) from block ${rollbackBlock}, governance_hash = emergency ${emergencyHash.slice(0, 10)}…, transition kind "${transition.kind}"`,
    );
    const toProduce = rollbackBlock + LEGACY_BLOCKS_AFTER_ROLLBACK - (await canonicalTipNumber(p));
    await timed(`devnet: ${toProduce} blocks across the rollback (up to block ${rollbackBlock + LEGACY_BLOCKS_AFTER_ROLLBACK})`, () => produce(toProduce));
    const rollbackMs = performance.now() - declaredAt;
    const after = await p.query<{ n: number; legacy_only: number }>(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE pq_algorithm IS NULL AND pq_merkle_root IS NULL AND dual_commitment IS NULL)::int AS legacy_only FROM blocks WHERE canonical AND block_number >= $1",
      [rollbackBlock],
    );
    check(after.rows[0].n > 0, "All nodes switch to legacy algorithm", `the devnet producer sealed ${after.rows[0].n} blocks from block ${rollbackBlock} under v1-legacy (one node)`);
    check(after.rows[0].n === after.rows[0].legacy_only, "New blocks sealed with SHA-256 only", `${after.rows[0].legacy_only} of ${after.rows[0].n} blocks carry no PQ fields and no dual commitment`);

    // ---- 6. verification, with the operator's own CLI ----------------------------------------------------------------
    const tip = await canonicalTipNumber(p);
    const verify = await timed(`mathledger-cli verify-chain --start-block 0 --end-block ${tip}`, () => cli(cliEnv, "verify-chain", "--start-block", "0", "--end-block", String(tip), "--json"));
    const report = verify.code === 0 || verify.code === 1 ? (JSON.parse(verify.stdout) as { verdict: string; checked: number; missing_count: number; epochs: unknown[] }) : null;
    check(report !== null && report.missing_count === 0 && report.checked === tip + 1, "Chain continuity maintained", report ? `${report.checked} canonical blocks 0-${tip}, no height missing` : `verify-chain exited ${verify.code}: ${verify.stderr.trim()}`);
    check(report?.verdict === "VALID" && report.epochs.length === 3, "Historical blocks still verifiable", `verify-chain: ${report?.verdict} across ${report?.epochs.length} epochs (legacy → dual at ${activationBlock} → rollback at ${rollbackBlock})`);
    // The emergency and the rollback were broadcast as CRITICAL alerts, and they keep the network CRITICAL until an
    // operator closes them (issue 7): the drill's operator (linus, the demo genesis's) resolves them, as the radar
    // page's Resolve button does, once the rollback is verified.
    const openAlerts = await p.query<{ event_id: string }>("SELECT event_id FROM drift_events WHERE source = 'governance' AND NOT resolved");
    for (const { event_id } of openAlerts.rows) {
      await applyOperatorAction(p, { action: "resolve", event_id, note: "rollback rehearsal: rollback epoch in force, chain verified" }, "linus", Math.floor(Date.now() / 1000));
    }
    const status = await getChainStatus(p, { expectedIntervalSeconds: 2 });
    const audit = await verifyStoredAuditLog(p);
    check(status.totals.invalid === 0 && status.totals.violations === 0 && status.totals.reorgs === 0 && audit.ok, "No consensus failures", `${status.totals.blocks} blocks stored, ${status.totals.invalid} invalid, ${status.totals.violations} violations, ${status.totals.reorgs} reorgs; governance audit chain intact (${audit.ok ? audit.entries : "BROKEN"} entries)`);
    const pq = await cli(cliEnv, "pq", "status", "--json");
    const pqDoc = pq.code === 0 ? (JSON.parse(pq.stdout) as { current_epoch: { rule_version: string; governance_hash: string | null } }) : null;
    check(status.network_health === "HEALTHY" && pqDoc?.current_epoch.rule_version === "v1-legacy" && pqDoc.current_epoch.governance_hash === emergencyHash, "Network health restored", `health ${status.network_health} after the operator resolved ${openAlerts.rows.length} governance alert(s); mathledger-cli pq status: current epoch ${pqDoc?.current_epoch.rule_version} (the rollback's)`);
    const rollbackEvent = events.find((e) => e.kind === "ROLLBACK_EXECUTED");
    if (!rollbackEvent) issues.push("no ROLLBACK_EXECUTED event was emitted");

    // ---- lessons learned ------------------------------------------------------------------------------------------
    tick(checklist, "Rollback execution time", "pass", `${(rollbackMs / 1000).toFixed(2)} s from the declaration to ${LEGACY_BLOCKS_AFTER_ROLLBACK + 1} legacy blocks sealed past the rollback block (signatures ${timings.find((t) => t.step.startsWith("emergency"))!.ms.toFixed(0)} ms, registration ${timings.find((t) => t.step.startsWith("rollback"))!.ms.toFixed(0)} ms)`);
    tick(checklist, "Communication effectiveness", "manual", "for the people taking part: a script cannot judge it");
    tick(checklist, "Technical issues encountered", issues.length ? "fail" : "pass", issues.length ? issues.join("; ") : "none");
    tick(checklist, "Improvements for next rehearsal", "manual", "for the people taking part; run it on the multi-node testnet once the relay carries governance decisions");
  } catch (error) {
    if (!(error instanceof RehearsalFailure)) issues.push((error as Error).stack ?? String(error));
    else issues.push(error.message);
    try {
      tick(checklist, "Technical issues encountered", "fail", issues.join("; "));
    } catch {
      /* unreachable: the item exists */
    }
  } finally {
    setCriticalGovernanceEventSink(null);
    await (pool as pg.Pool | null)?.end();
    await (db as TestDatabase | null)?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const total = (performance.now() - started) / 1000;
  process.stdout.write(`Rollback rehearsal (PLAN.md §5), network ${DEMO_NETWORK_ID}, ${new Date().toISOString()}\n\n`);
  process.stdout.write(formatChecklist(checklist) + "\n\nTimings\n");
  for (const t of timings) process.stdout.write(`   ${(t.ms / 1000).toFixed(2).padStart(7)} s  ${t.step}\n`);
  process.stdout.write(`   ${total.toFixed(2).padStart(7)} s  total\n\n`);
  const passed = checklistPassed(checklist) && issues.length === 0;
  process.stdout.write(passed ? "REHEARSAL PASSED\n" : `REHEARSAL FAILED\n${issues.map((i) => `  ${i}`).join("\n")}\n`);
  process.exitCode = passed ? 0 : 1;
}

await main();
