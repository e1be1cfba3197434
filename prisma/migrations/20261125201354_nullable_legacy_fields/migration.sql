-- AlterTable
ALTER TABLE "blocks" ALTER COLUMN "prev_hash" DROP NOT NULL,
ALTER COLUMN "merkle_root" DROP NOT NULL,
ALTER COLUMN "raw_json" DROP NOT NULL;
