-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "blocks" (
    "id" BIGSERIAL NOT NULL,
    "content_id" TEXT NOT NULL,
    "block_number" INTEGER NOT NULL,
    "timestamp" BIGINT NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "merkle_root" TEXT NOT NULL,
    "pq_algorithm" INTEGER,
    "pq_prev_hash" TEXT,
    "pq_merkle_root" TEXT,
    "dual_commitment" TEXT,
    "legacy_hash" TEXT NOT NULL,
    "pq_hash" TEXT,
    "statement_count" INTEGER NOT NULL,
    "canonical" BOOLEAN NOT NULL,
    "verdict" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "raw_json" JSONB NOT NULL,

    CONSTRAINT "blocks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "statements" (
    "block_id" BIGINT NOT NULL,
    "position" INTEGER NOT NULL,
    "text" TEXT NOT NULL,

    CONSTRAINT "statements_pkey" PRIMARY KEY ("block_id","position")
);

-- CreateTable
CREATE TABLE "epochs" (
    "id" SERIAL NOT NULL,
    "start_block" INTEGER NOT NULL,
    "end_block" INTEGER,
    "algorithm_id" INTEGER NOT NULL,
    "algorithm_name" TEXT NOT NULL,
    "rule_version" TEXT NOT NULL,
    "activation_timestamp" BIGINT NOT NULL,
    "governance_hash" TEXT,
    "registered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "epochs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "violations" (
    "id" BIGSERIAL NOT NULL,
    "block_id" BIGINT NOT NULL,
    "code" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "field" TEXT,
    "expected" TEXT,
    "actual" TEXT,
    "message" TEXT NOT NULL,

    CONSTRAINT "violations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reorgs" (
    "id" SERIAL NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "fork_point_block" INTEGER NOT NULL,
    "old_tip_block" INTEGER NOT NULL,
    "new_tip_block" INTEGER NOT NULL,
    "old_tip_hash" TEXT NOT NULL,
    "new_tip_hash" TEXT NOT NULL,
    "rolled_back_count" INTEGER NOT NULL,
    "added_count" INTEGER NOT NULL,
    "report" JSONB NOT NULL,

    CONSTRAINT "reorgs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_cursors" (
    "source" TEXT NOT NULL,
    "last_block_number" INTEGER NOT NULL,
    "last_content_id" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_cursors_pkey" PRIMARY KEY ("source")
);

-- CreateTable
CREATE TABLE "import_jobs" (
    "id" SERIAL NOT NULL,
    "file_name" TEXT NOT NULL,
    "file_sha256" TEXT NOT NULL,
    "total_lines" INTEGER,
    "processed_lines" INTEGER NOT NULL DEFAULT 0,
    "processed_bytes" BIGINT NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "error" TEXT,

    CONSTRAINT "import_jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "worker_heartbeats" (
    "worker_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "last_beat_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "worker_heartbeats_pkey" PRIMARY KEY ("worker_id")
);

-- CreateTable
CREATE TABLE "leases" (
    "name" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "leases_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "node_tokens" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "token_sha256" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "node_tokens_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "blocks_content_id_key" ON "blocks"("content_id");

-- CreateIndex
CREATE INDEX "blocks_block_number_canonical_idx" ON "blocks"("block_number", "canonical");

-- CreateIndex
CREATE INDEX "blocks_legacy_hash_idx" ON "blocks"("legacy_hash");

-- CreateIndex
CREATE INDEX "blocks_pq_hash_idx" ON "blocks"("pq_hash");

-- CreateIndex
CREATE INDEX "blocks_received_at_idx" ON "blocks"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "epochs_start_block_key" ON "epochs"("start_block");

-- CreateIndex
CREATE INDEX "violations_code_idx" ON "violations"("code");

-- CreateIndex
CREATE INDEX "violations_severity_idx" ON "violations"("severity");

-- CreateIndex
CREATE INDEX "violations_block_id_idx" ON "violations"("block_id");

-- CreateIndex
CREATE INDEX "reorgs_detected_at_idx" ON "reorgs"("detected_at");

-- CreateIndex
CREATE INDEX "import_jobs_file_sha256_status_idx" ON "import_jobs"("file_sha256", "status");

-- CreateIndex
CREATE UNIQUE INDEX "node_tokens_token_sha256_key" ON "node_tokens"("token_sha256");

-- AddForeignKey
ALTER TABLE "statements" ADD CONSTRAINT "statements_block_id_fkey" FOREIGN KEY ("block_id") REFERENCES "blocks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "violations" ADD CONSTRAINT "violations_block_id_fkey" FOREIGN KEY ("block_id") REFERENCES "blocks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

