-- CreateTable
CREATE TABLE "chain_totals" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "blocks" INTEGER NOT NULL DEFAULT 0,
    "canonical" INTEGER NOT NULL DEFAULT 0,
    "invalid" INTEGER NOT NULL DEFAULT 0,
    "violations" INTEGER NOT NULL DEFAULT 0,
    "reorgs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "chain_totals_pkey" PRIMARY KEY ("id")
);

-- Hand-written below: the one row, filled from what is stored, and the triggers that keep it exact. Statement-level
-- triggers with transition tables run once per INSERT/UPDATE/DELETE statement (ingest writes a batch per statement),
-- in the writer's transaction, so the totals commit or roll back with the rows they count.
INSERT INTO "chain_totals" ("id", "blocks", "canonical", "invalid", "violations", "reorgs")
SELECT 1,
       (SELECT count(*) FROM "blocks"),
       (SELECT count(*) FROM "blocks" WHERE "canonical"),
       (SELECT count(*) FROM "blocks" WHERE "verdict" = 'INVALID'),
       (SELECT count(*) FROM "violations"),
       (SELECT count(*) FROM "reorgs");

CREATE FUNCTION chain_totals_blocks_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d_blocks integer := 0;
  d_canonical integer := 0;
  d_invalid integer := 0;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT d_blocks + count(*), d_canonical + count(*) FILTER (WHERE canonical), d_invalid + count(*) FILTER (WHERE verdict = 'INVALID')
      INTO d_blocks, d_canonical, d_invalid FROM new_rows;
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    SELECT d_blocks - count(*), d_canonical - count(*) FILTER (WHERE canonical), d_invalid - count(*) FILTER (WHERE verdict = 'INVALID')
      INTO d_blocks, d_canonical, d_invalid FROM old_rows;
  END IF;
  IF d_blocks <> 0 OR d_canonical <> 0 OR d_invalid <> 0 THEN
    UPDATE chain_totals SET blocks = blocks + d_blocks, canonical = canonical + d_canonical, invalid = invalid + d_invalid WHERE id = 1;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER chain_totals_blocks_insert AFTER INSERT ON "blocks"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION chain_totals_blocks_changed();
CREATE TRIGGER chain_totals_blocks_update AFTER UPDATE ON "blocks"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION chain_totals_blocks_changed();
CREATE TRIGGER chain_totals_blocks_delete AFTER DELETE ON "blocks"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION chain_totals_blocks_changed();

CREATE FUNCTION chain_totals_rows_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d integer;
BEGIN
  IF TG_OP = 'INSERT' THEN SELECT count(*) INTO d FROM new_rows; ELSE SELECT -count(*) INTO d FROM old_rows; END IF;
  IF d <> 0 THEN
    IF TG_TABLE_NAME = 'violations' THEN
      UPDATE chain_totals SET violations = violations + d WHERE id = 1;
    ELSE
      UPDATE chain_totals SET reorgs = reorgs + d WHERE id = 1;
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER chain_totals_violations_insert AFTER INSERT ON "violations"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION chain_totals_rows_changed();
CREATE TRIGGER chain_totals_violations_delete AFTER DELETE ON "violations"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION chain_totals_rows_changed();
CREATE TRIGGER chain_totals_reorgs_insert AFTER INSERT ON "reorgs"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION chain_totals_rows_changed();
CREATE TRIGGER chain_totals_reorgs_delete AFTER DELETE ON "reorgs"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION chain_totals_rows_changed();

-- TRUNCATE fires no row or statement DELETE triggers (and offers no transition tables): count again instead. The
-- tables are empty or nearly so right after one, so this is cheap; nothing in the product truncates, tests do.
CREATE FUNCTION chain_totals_recount() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE chain_totals SET
    blocks = (SELECT count(*) FROM blocks),
    canonical = (SELECT count(*) FROM blocks WHERE canonical),
    invalid = (SELECT count(*) FROM blocks WHERE verdict = 'INVALID'),
    violations = (SELECT count(*) FROM violations),
    reorgs = (SELECT count(*) FROM reorgs)
  WHERE id = 1;
  RETURN NULL;
END $$;

CREATE TRIGGER chain_totals_blocks_truncate AFTER TRUNCATE ON "blocks" FOR EACH STATEMENT EXECUTE FUNCTION chain_totals_recount();
CREATE TRIGGER chain_totals_violations_truncate AFTER TRUNCATE ON "violations" FOR EACH STATEMENT EXECUTE FUNCTION chain_totals_recount();
CREATE TRIGGER chain_totals_reorgs_truncate AFTER TRUNCATE ON "reorgs" FOR EACH STATEMENT EXECUTE FUNCTION chain_totals_recount();
