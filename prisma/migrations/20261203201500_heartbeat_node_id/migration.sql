-- Each worker records the relay id of the node it runs for, so that `mathledger-cli node status` in another shell
-- (with its own PORT, or none) reports the id the node actually uses instead of deriving one from its own environment.
ALTER TABLE "worker_heartbeats" ADD COLUMN "node_id" TEXT;
