-- CreateTable
CREATE TABLE "relay_items" (
    "seq" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "content_id" TEXT,
    "block_number" INTEGER,
    "record" JSONB,
    "origin_peer" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_items_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "relay_peers" (
    "peer_id" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "cursor" BIGINT NOT NULL DEFAULT 0,
    "blocks_sent" BIGINT NOT NULL DEFAULT 0,
    "bytes_sent" BIGINT NOT NULL DEFAULT 0,
    "records_sent" BIGINT NOT NULL DEFAULT 0,
    "tip_block" INTEGER,
    "tip_hash" TEXT,
    "tip_learned_at" TIMESTAMPTZ(3),
    "last_contact_at" TIMESTAMPTZ(3),
    "unreachable_since" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_peers_pkey" PRIMARY KEY ("peer_id")
);

-- CreateTable
CREATE TABLE "relay_received" (
    "peer_id" TEXT NOT NULL,
    "blocks" BIGINT NOT NULL DEFAULT 0,
    "duplicates" BIGINT NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "records" BIGINT NOT NULL DEFAULT 0,
    "last_received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "relay_received_pkey" PRIMARY KEY ("peer_id")
);
