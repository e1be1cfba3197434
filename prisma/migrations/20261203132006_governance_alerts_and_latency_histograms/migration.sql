-- AlterTable
ALTER TABLE "drift_events" ADD COLUMN     "kind" TEXT,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'radar',
ALTER COLUMN "drift_category" DROP NOT NULL;

-- CreateTable
CREATE TABLE "alert_inbox" (
    "event_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "alert_inbox_pkey" PRIMARY KEY ("event_id")
);

-- CreateTable
CREATE TABLE "latency_histogram_buckets" (
    "metric" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "le" DOUBLE PRECISION NOT NULL,
    "count" BIGINT NOT NULL DEFAULT 0,
    "sum" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "latency_histogram_buckets_pkey" PRIMARY KEY ("metric","source","le")
);

-- CreateIndex
CREATE INDEX "alert_inbox_created_at_idx" ON "alert_inbox"("created_at");
