-- DropTable
DROP TABLE "node_tokens";
