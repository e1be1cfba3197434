-- CreateIndex
CREATE INDEX "blocks_verdict_block_number_idx" ON "blocks"("verdict", "block_number");
