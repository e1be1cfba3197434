/**
 * `governance`: the plan's governance RPC (PLAN.md §4 rpc.py) plus lists. Every mutation takes a signed envelope
 * (docs/spec/governance.md §5) and is refused by the server with a reason code (domainCode) when any rule fails; a
 * session cookie alone can sign nothing, and no mutation reads it. Every mutation is rate-limited per client address
 * and per signer (server/governance/rate-limited-submission.ts). Thin: each procedure validates its input shape and calls one service.
 */
import { z } from "zod";
import type { MessageType } from "../../../lib/governance/bodies";
import { getPgPool } from "../../db/pg-pool";
import { verifyStoredAuditLog, listAudit } from "../../governance/audit-store";
import { getGovernanceCheckContext } from "../../governance/check-context";
import { getAttestation, getEmergency, getProposal, getTally, listAttestations, listEmergencies, listMembers, listProposals, listVotes } from "../../governance/governance-queries";
import { submitEnvelopeRateLimited } from "../../governance/rate-limited-submission";
import { clientAddress } from "../../../lib/security/client-address";
import { createTRPCRouter } from "../trpc";
import { databaseProcedure } from "./database-procedure";

const hash = z.string().regex(/^0x[0-9a-f]{64}$/, "a 0x-prefixed lowercase 32-byte hex hash");
/** The envelope's shape is checked in full by lib/governance (with field-level reasons); here only "an object". */
const envelope = z.object({ envelope: z.record(z.string(), z.unknown()) });

/** A mutation taking a signed envelope, rate-limited per client address and per signer (TOO_MANY_REQUESTS + Retry-After). */
const submitOnly = (types?: readonly MessageType[]) =>
  databaseProcedure
    .input(envelope)
    .mutation(async ({ input, ctx }) => submitEnvelopeRateLimited(await getPgPool(), input.envelope, { expectTypes: types, clientAddress: clientAddress(ctx.headers.get("x-forwarded-for")) }));

export const governanceRouter = createTRPCRouter({
  // Proposals (submit_proposal, get_proposal).
  submitProposal: submitOnly(["proposal"]),
  getProposal: databaseProcedure.input(z.object({ proposal_hash: hash })).query(async ({ input }) => getProposal(await getPgPool(), input.proposal_hash)),
  listProposals: databaseProcedure
    .input(z.object({ status: z.string().max(20).optional(), limit: z.number().int().min(1).max(500).optional() }).optional())
    .query(async ({ input }) => listProposals(await getPgPool(), input ?? {})),
  // Reviews and votes (submit_review, cast_vote, tally_votes).
  submitReview: submitOnly(["review"]),
  castVote: submitOnly(["vote"]),
  tally: databaseProcedure.input(z.object({ proposal_hash: hash })).query(async ({ input }) => getTally(await getPgPool(), input.proposal_hash)),
  listVotes: databaseProcedure.input(z.object({ proposal_hash: hash })).query(async ({ input }) => (await listVotes(await getPgPool(), input.proposal_hash)).map(({ envelope: _e, ...v }) => v)),
  // Attestations (submit_attestation_signature; creation is an operator step, CLI `governance attestation create`).
  submitAttestationSignature: submitOnly(["attestation"]),
  getAttestation: databaseProcedure.input(z.object({ attestation_id: z.string().min(1).max(200) })).query(async ({ input }) => getAttestation(await getPgPool(), input.attestation_id)),
  listAttestations: databaseProcedure.query(async () => listAttestations(await getPgPool())),
  // Emergencies (declare_emergency, execute_rollback).
  declareEmergency: submitOnly(["emergency_declaration"]),
  signEmergency: submitOnly(["emergency_signature"]),
  executeRollback: submitOnly(["rollback"]),
  getEmergency: databaseProcedure.input(z.object({ emergency_hash: hash })).query(async ({ input }) => getEmergency(await getPgPool(), input.emergency_hash)),
  listEmergencies: databaseProcedure.query(async () => listEmergencies(await getPgPool())),
  // Any signed action (what `governance submit --envelope` posts).
  submit: submitOnly(),
  // What the browser checks a draft proposal or a rollback against before signing (registry, tip, activation lead).
  checkContext: databaseProcedure.query(async () => getGovernanceCheckContext(await getPgPool())),
  // Members and the audit log.
  members: databaseProcedure.query(async () => listMembers(await getPgPool())),
  auditLog: databaseProcedure
    .input(z.object({ after_seq: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(1000).optional() }).optional())
    .query(async ({ input }) => listAudit(await getPgPool(), { afterSeq: input?.after_seq, limit: input?.limit ?? 200 })),
  verifyAuditLog: databaseProcedure.query(async () => verifyStoredAuditLog(await getPgPool())),
});
