-- DropForeignKey
ALTER TABLE "statements" DROP CONSTRAINT "statements_block_id_fkey";

-- DropForeignKey
ALTER TABLE "violations" DROP CONSTRAINT "violations_block_id_fkey";
