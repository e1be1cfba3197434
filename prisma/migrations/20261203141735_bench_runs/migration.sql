-- CreateTable
CREATE TABLE "bench_runs" (
    "id" BIGSERIAL NOT NULL,
    "run_id" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "quick" BOOLEAN NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3) NOT NULL,
    "environment" JSONB NOT NULL,
    "acceptance" JSONB NOT NULL,
    "document" JSONB NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bench_runs_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "bench_runs_started_at_idx" ON "bench_runs"("started_at");

-- CreateIndex
CREATE INDEX "bench_runs_run_id_idx" ON "bench_runs"("run_id");

-- CreateIndex
CREATE UNIQUE INDEX "bench_runs_stage_started_at_key" ON "bench_runs"("stage", "started_at");
