-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" BIGSERIAL NOT NULL,
    "event_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "target" TEXT NOT NULL DEFAULT '',
    "idempotency_key" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "folded_count" INTEGER NOT NULL DEFAULT 0,
    "folded_into" BIGINT,
    "group_key" TEXT NOT NULL,
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "alert_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alert_throttle_windows" (
    "group_key" TEXT NOT NULL,
    "starts_at" DOUBLE PRECISION NOT NULL,
    "ends_at" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "alert_throttle_windows_pkey" PRIMARY KEY ("group_key")
);

-- CreateTable
CREATE TABLE "alert_silences" (
    "id" TEXT NOT NULL,
    "matchers" JSONB NOT NULL,
    "starts_at" DOUBLE PRECISION NOT NULL,
    "ends_at" DOUBLE PRECISION NOT NULL,
    "created_by" TEXT NOT NULL,
    "comment" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_silences_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "alert_deliveries_group_key_status_idx" ON "alert_deliveries"("group_key", "status");

-- CreateIndex
CREATE INDEX "alert_deliveries_created_at_idx" ON "alert_deliveries"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "alert_deliveries_event_id_channel_target_key" ON "alert_deliveries"("event_id", "channel", "target");

-- CreateIndex
CREATE INDEX "alert_silences_ends_at_idx" ON "alert_silences"("ends_at");
