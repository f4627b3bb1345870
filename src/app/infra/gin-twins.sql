-- FerretDB 1.24 (PostgreSQL backend) pushes equality filters down as `_jsonb -> 'field' @> value`
-- but indexes fields with btree, which cannot serve `@>`. This gives every btree index on a
-- `_jsonb` expression a GIN (jsonb_path_ops) twin with the same expression, for indexes made from
-- now on (event trigger) and those that already exist. Installed by src/infra/embedded-postgres.ts.
CREATE OR REPLACE FUNCTION charla_gin_twins_of(idx oid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  meta record;
  k int;
  expr text;
BEGIN
  SELECT c.relname AS idxname, n.nspname, t.relname AS tblname, am.amname, i.indnkeyatts
    INTO meta
    FROM pg_index i
    JOIN pg_class c ON c.oid = i.indexrelid
    JOIN pg_am am ON am.oid = c.relam
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
   WHERE i.indexrelid = idx;
  IF NOT FOUND OR meta.amname <> 'btree' OR meta.nspname IN ('pg_catalog', 'information_schema') THEN
    RETURN;
  END IF;
  FOR k IN 1..meta.indnkeyatts LOOP
    expr := pg_get_indexdef(idx, k, false);
    CONTINUE WHEN expr !~ '^\(+_jsonb ';
    -- fastupdate off: no pending list that every lookup scans and some insert has to flush.
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I.%I USING gin (%s jsonb_path_ops) WITH (fastupdate = off)',
      'gin_' || md5(meta.nspname || '.' || meta.tblname || '.' || expr), meta.nspname, meta.tblname, expr);
  END LOOP;
END $$;

CREATE OR REPLACE FUNCTION charla_gin_twins() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  obj record;
BEGIN
  FOR obj IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' LOOP
    PERFORM charla_gin_twins_of(obj.objid);
  END LOOP;
END $$;

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'charla_gin_twins') THEN
    CREATE EVENT TRIGGER charla_gin_twins ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
      EXECUTE FUNCTION charla_gin_twins();
  END IF;
END $$;

SELECT charla_gin_twins_of(i.indexrelid)
  FROM pg_index i
  JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast');
