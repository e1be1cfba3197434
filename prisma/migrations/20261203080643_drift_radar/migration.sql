-- CreateTable
CREATE TABLE "block_observations" (
    "id" BIGSERIAL NOT NULL,
    "block_number" INTEGER,
    "block_hash" TEXT,
    "source" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "verdict" TEXT NOT NULL,
    "pq_algorithm" INTEGER,
    "violations" JSONB,
    "sealing_ms" DOUBLE PRECISION,
    "validation_ms" DOUBLE PRECISION,
    "block_bytes" INTEGER,
    "header_bytes" INTEGER,
    "legacy_block_bytes" INTEGER,
    "observed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "block_observations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "node_reports" (
    "id" BIGSERIAL NOT NULL,
    "node_id" TEXT NOT NULL,
    "observed_at" DOUBLE PRECISION NOT NULL,
    "block_number" INTEGER,
    "peer_count" INTEGER NOT NULL,
    "propagation_ms" DOUBLE PRECISION NOT NULL,
    "blocks_received" INTEGER NOT NULL,
    "orphan_blocks" INTEGER NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "node_reports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "drift_events" (
    "event_id" TEXT NOT NULL,
    "timestamp" DOUBLE PRECISION NOT NULL,
    "drift_category" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "block_number" INTEGER,
    "block_hash" TEXT,
    "message" TEXT NOT NULL,
    "details" JSONB NOT NULL,
    "resolved" BOOLEAN NOT NULL DEFAULT false,
    "resolution_timestamp" DOUBLE PRECISION,
    "resolved_by" TEXT,
    "resolution_note" TEXT,
    "acknowledged_at" TIMESTAMPTZ(3),
    "acknowledged_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "seq" BIGSERIAL NOT NULL,

    CONSTRAINT "drift_events_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "radar_cursors" (
    "name" TEXT NOT NULL,
    "last_observation_id" BIGINT NOT NULL DEFAULT 0,
    "last_report_id" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "radar_cursors_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE INDEX "block_observations_observed_at_idx" ON "block_observations"("observed_at");

-- CreateIndex
CREATE INDEX "node_reports_received_at_idx" ON "node_reports"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "drift_events_seq_key" ON "drift_events"("seq");

-- CreateIndex
CREATE INDEX "drift_events_resolved_timestamp_idx" ON "drift_events"("resolved", "timestamp");

-- CreateIndex
CREATE INDEX "drift_events_drift_category_timestamp_idx" ON "drift_events"("drift_category", "timestamp");

-- CreateIndex
CREATE INDEX "drift_events_severity_timestamp_idx" ON "drift_events"("severity", "timestamp");

-- CreateIndex
CREATE INDEX "drift_events_block_number_idx" ON "drift_events"("block_number");
