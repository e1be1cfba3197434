-- CreateTable
CREATE TABLE "governance_config" (
    "id" INTEGER NOT NULL,
    "network_id" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "genesis_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "governance_config_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "governance_members" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "roles" TEXT[],
    "voting_power" BIGINT NOT NULL,
    "ed25519_key" TEXT NOT NULL,
    "ml_dsa_65_key" TEXT NOT NULL,
    "last_nonce" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "governance_members_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "governance_proposals" (
    "hash" TEXT NOT NULL,
    "proposal_id" TEXT NOT NULL,
    "proposal_type" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "proposer" TEXT NOT NULL,
    "submission_timestamp" BIGINT NOT NULL,
    "activation_block" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "voting_starts_at" BIGINT,
    "voting_ends_at" BIGINT,
    "power_table" JSONB,
    "tally" JSONB,
    "decided_at" BIGINT,
    "updated_at" BIGINT NOT NULL,

    CONSTRAINT "governance_proposals_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "governance_reviews" (
    "digest" TEXT NOT NULL,
    "proposal_hash" TEXT NOT NULL,
    "reviewer" TEXT NOT NULL,
    "recommendation" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" BIGINT NOT NULL,

    CONSTRAINT "governance_reviews_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "governance_votes" (
    "digest" TEXT NOT NULL,
    "proposal_hash" TEXT NOT NULL,
    "voter" TEXT NOT NULL,
    "choice" TEXT NOT NULL,
    "nonce" BIGINT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" BIGINT NOT NULL,

    CONSTRAINT "governance_votes_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "governance_attestations" (
    "id" TEXT NOT NULL,
    "milestone" TEXT NOT NULL,
    "block_number" INTEGER NOT NULL,
    "block_hash" TEXT NOT NULL,
    "pq_merkle_root" TEXT,
    "created_at" BIGINT NOT NULL,
    "deadline" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "decided_at" BIGINT,

    CONSTRAINT "governance_attestations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "governance_attestation_signatures" (
    "digest" TEXT NOT NULL,
    "attestation_id" TEXT NOT NULL,
    "signer" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" BIGINT NOT NULL,

    CONSTRAINT "governance_attestation_signatures_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "governance_emergencies" (
    "hash" TEXT NOT NULL,
    "declarer" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "evidence" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" BIGINT NOT NULL,
    "declared_at" BIGINT,
    "rollback_block" INTEGER,
    "rollback_by" TEXT,
    "rollback_envelope" JSONB,
    "rolled_back_at" BIGINT,

    CONSTRAINT "governance_emergencies_pkey" PRIMARY KEY ("hash")
);

-- CreateTable
CREATE TABLE "governance_emergency_signatures" (
    "digest" TEXT NOT NULL,
    "emergency_hash" TEXT NOT NULL,
    "signer" TEXT NOT NULL,
    "envelope" JSONB NOT NULL,
    "created_at" BIGINT NOT NULL,

    CONSTRAINT "governance_emergency_signatures_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "governance_audit_log" (
    "seq" BIGINT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" BIGINT NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "entry_hash" TEXT NOT NULL,

    CONSTRAINT "governance_audit_log_pkey" PRIMARY KEY ("seq")
);

-- CreateIndex
CREATE UNIQUE INDEX "governance_members_ed25519_key_key" ON "governance_members"("ed25519_key");

-- CreateIndex
CREATE UNIQUE INDEX "governance_proposals_proposal_id_key" ON "governance_proposals"("proposal_id");

-- CreateIndex
CREATE INDEX "governance_proposals_status_idx" ON "governance_proposals"("status");

-- CreateIndex
CREATE INDEX "governance_proposals_voting_ends_at_idx" ON "governance_proposals"("voting_ends_at");

-- CreateIndex
CREATE UNIQUE INDEX "governance_reviews_proposal_hash_reviewer_key" ON "governance_reviews"("proposal_hash", "reviewer");

-- CreateIndex
CREATE INDEX "governance_votes_proposal_hash_voter_idx" ON "governance_votes"("proposal_hash", "voter");

-- CreateIndex
CREATE UNIQUE INDEX "governance_votes_voter_nonce_key" ON "governance_votes"("voter", "nonce");

-- CreateIndex
CREATE INDEX "governance_attestations_status_deadline_idx" ON "governance_attestations"("status", "deadline");

-- CreateIndex
CREATE UNIQUE INDEX "governance_attestation_signatures_attestation_id_signer_key" ON "governance_attestation_signatures"("attestation_id", "signer");

-- CreateIndex
CREATE INDEX "governance_emergencies_status_idx" ON "governance_emergencies"("status");

-- CreateIndex
CREATE UNIQUE INDEX "governance_emergency_signatures_emergency_hash_signer_key" ON "governance_emergency_signatures"("emergency_hash", "signer");

-- CreateIndex
CREATE UNIQUE INDEX "governance_audit_log_entry_hash_key" ON "governance_audit_log"("entry_hash");
