-- Fresh planner statistics for the warehouse tables a load changed, before the checks and the KPI
-- stage read them (issue 16). Autovacuum analyzes a table only some time after 10 % of it changed;
-- a first scale-0.2 day (400,000 web events) had campaign_performance's sales read planned before
-- the new month's partitions had any statistics, and it ran for minutes instead of seconds.
-- Same threshold as autovacuum's defaults (50 rows + 10 %), applied at once, to every table and
-- partition of dw: a day that changes little analyzes nothing. Runs as the owner (only an owner
-- may ANALYZE before PostgreSQL 17); returns the number of tables analyzed.
CREATE FUNCTION dw.analyze_changed() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  t regclass;
  n integer := 0;
BEGIN
  FOR t IN
    SELECT s.relid::regclass FROM pg_stat_user_tables s
    WHERE s.schemaname = 'dw' AND s.n_mod_since_analyze > 50 + 0.1 * s.n_live_tup
    ORDER BY s.relid
  LOOP
    EXECUTE format('ANALYZE %s', t);
    n := n + 1;
  END LOOP;
  RETURN n;
END $$;
REVOKE EXECUTE ON FUNCTION dw.analyze_changed() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.analyze_changed() TO c360_writer;
