-- CreateTable
CREATE TABLE "governance_sign_in_challenges" (
    "digest" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL,
    "expires_at" BIGINT NOT NULL,

    CONSTRAINT "governance_sign_in_challenges_pkey" PRIMARY KEY ("digest")
);

-- CreateTable
CREATE TABLE "governance_sessions" (
    "token_hash" TEXT NOT NULL,
    "member_id" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL,
    "expires_at" BIGINT NOT NULL,

    CONSTRAINT "governance_sessions_pkey" PRIMARY KEY ("token_hash")
);

-- CreateIndex
CREATE INDEX "governance_sign_in_challenges_expires_at_idx" ON "governance_sign_in_challenges"("expires_at");

-- CreateIndex
CREATE INDEX "governance_sessions_member_id_idx" ON "governance_sessions"("member_id");

-- CreateIndex
CREATE INDEX "governance_sessions_expires_at_idx" ON "governance_sessions"("expires_at");
