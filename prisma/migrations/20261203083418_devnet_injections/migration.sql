-- CreateTable
CREATE TABLE "devnet_injections" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "remaining" INTEGER NOT NULL,
    "affected_blocks" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "devnet_injections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "devnet_injections_remaining_idx" ON "devnet_injections"("remaining");
