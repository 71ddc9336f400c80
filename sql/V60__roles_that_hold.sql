-- Roles that hold in real use (SPEC §6). Applied by the owner of the schemas (`c360 migrate
-- --dbUser=<owner>`); a daily run then needs nothing but c360_writer.
--
-- V5 stays as it was applied (editing it would change its checksum and stop every existing
-- warehouse at Flyway's validation); this migration repairs what V5 left, on new and existing
-- warehouses alike:
-- * V5 returned silently when the migrating user could not create the roles. Here a missing
--   role that cannot be created fails the migration, naming the setup script; Flyway then
--   records nothing.
-- * The writer had to insert into ops.share_key (revoked from it) and to own dw.fact_sales to
--   add a partition. Both now go through SECURITY DEFINER functions of the owner, with a fixed
--   search_path and EXECUTE granted to the writer only; so does ANALYZE of staging tables.
-- * share.keyed_hash was SECURITY DEFINER and executable by PUBLIC: anyone could hash a guessed
--   id and match pseudonyms. It is now the owner's alone; the share views read the key with their
--   owner's rights (a view reads its tables as its owner) and hash with share.hash_with, a pure
--   function that is useless without the key.
-- * Five marts had no share view.

-- 1. The three groups. Created here when the migrating user may create roles; otherwise an
--    administrator creates them first with deploy/postgres/roles.sql.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['c360_writer', 'c360_reader', 'c360_partner'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'c360: role % does not exist and user % may not create roles: have an administrator run deploy/postgres/roles.sql, or grant % CREATEROLE, then migrate again',
          r, current_user, current_user;
      END;
    END IF;
  END LOOP;
END $$;

-- 2. The keyed hash: one declaration, harmless without the key. STABLE like convert_to, so the
--    planner inlines it into the views.
CREATE FUNCTION share.hash_with(key text, value text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN key IS NULL OR value IS NULL THEN NULL ELSE
    encode(sha256(convert_to(key, 'UTF8') || sha256(convert_to(key || value, 'UTF8'))), 'hex') END
$$;

-- The owner's own look-up (which pseudonym is customer C1?); nobody else may call it.
CREATE OR REPLACE FUNCTION share.keyed_hash(value text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  SELECT share.hash_with((SELECT k.key FROM ops.share_key k), value)
$$;
REVOKE EXECUTE ON FUNCTION share.keyed_hash(text) FROM PUBLIC;

-- 3. What the writer may do without owning anything.
-- Stores a key: replace = true sets it (a configured key), false only fills an empty slot (a random
-- key on first use). Nothing returns the key.
CREATE FUNCTION ops.set_share_key(new_key text, replace boolean) RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
  INSERT INTO ops.share_key AS s (key) VALUES (new_key)
  ON CONFLICT (id) DO UPDATE SET key = excluded.key, set_at = now()
    WHERE replace AND s.key <> excluded.key
$$;
REVOKE EXECUTE ON FUNCTION ops.set_share_key(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ops.set_share_key(text, boolean) TO c360_writer;

-- A new monthly partition is created as the owner of dw.fact_sales (only an owner may).
ALTER FUNCTION dw.ensure_sales_partition(date) SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
REVOKE EXECUTE ON FUNCTION dw.ensure_sales_partition(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.ensure_sales_partition(date) TO c360_writer;

-- Fresh planner statistics for a staging table (only an owner may ANALYZE before PostgreSQL 17).
CREATE FUNCTION staging.analyze_table(name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF to_regclass(format('staging.%I', name)) IS NULL THEN
    RAISE EXCEPTION 'c360: no table staging.%', name;
  END IF;
  EXECUTE format('ANALYZE staging.%I', name);
END $$;
REVOKE EXECUTE ON FUNCTION staging.analyze_table(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION staging.analyze_table(text) TO c360_writer;

-- 4. Share views: the key is read with the view owner's rights, never exposed; identifiers of
--    customers and transactions become keyed hashes, emails are masked, names hashed. LIMIT 1
--    tells the planner the key is one row (the one-row table is never auto-analyzed).
CREATE OR REPLACE VIEW share.customer_360 AS
SELECT m.as_of, share.hash_with(k.key, m.customer_id) AS customer_key,
       share.hash_with(k.key, m.name) AS name_hash, share.mask_email(m.email) AS email_masked,
       m.city, m.country, m.segment, m.industry, m.first_purchase_date, m.last_purchase_date,
       m.orders, m.lifetime_revenue, m.avg_order_value, m.apps_and_games_amount, m.beauty_amount,
       m.books_amount, m.clothing_shoes_and_accessories_amount, m.kitchen_amount,
       m.movies_and_tv_amount, m.sports_fitness_and_outdoors_amount, m.customer_type, m.churn_risk
FROM mart.customer_360 m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

CREATE OR REPLACE VIEW share.customer_ytd_spending AS
SELECT m.as_of, share.hash_with(k.key, m.customer_id) AS customer_key, m.ytd_spending
FROM mart.customer_ytd_spending m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

CREATE OR REPLACE VIEW share.customer_revenue_by_period AS
SELECT m.as_of, share.hash_with(k.key, m.customer_id) AS customer_key, m.revenue_mtd,
       m.revenue_last_month, m.revenue_last_quarter, m.revenue_ytd, m.revenue_increase_pct_qoq
FROM mart.customer_revenue_by_period m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

CREATE OR REPLACE VIEW share.customer_value_band AS
SELECT m.as_of, share.hash_with(k.key, m.customer_id) AS customer_key, m.revenue_12m, m.band
FROM mart.customer_value_band m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

CREATE OR REPLACE VIEW share.top_customers AS
SELECT m.as_of, m.rank, share.hash_with(k.key, m.customer_id) AS customer_key, m.revenue
FROM mart.top_customers m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

-- The five marts V5 left out.
CREATE VIEW share.customer_days_since_last_purchase AS
SELECT m.as_of, share.hash_with(k.key, m.customer_id) AS customer_key, m.last_purchase_date,
       m.days_since_last_purchase
FROM mart.customer_days_since_last_purchase m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

CREATE VIEW share.segment_changes_12m AS
SELECT m.as_of, share.hash_with(k.key, m.customer_id) AS customer_key, m.change_date,
       m.changed_at, m.old_segment, m.new_segment
FROM mart.segment_changes_12m m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

CREATE VIEW share.consistent_top_customers AS
SELECT m.as_of, share.hash_with(k.key, m.customer_id) AS customer_key, m.revenue, m.rank
FROM mart.consistent_top_customers m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

CREATE VIEW share.anomalies AS
SELECT m.as_of, share.hash_with(k.key, m.transaction_id) AS transaction_key, m.method,
       m.product_id, share.hash_with(k.key, m.customer_id) AS customer_key, m.value,
       m.lower_bound, m.upper_bound, m.score
FROM mart.anomalies m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

CREATE VIEW share.traffic_revenue_by_period AS
SELECT m.as_of, share.hash_with(k.key, m.customer_id) AS customer_key, m.channel_id,
       m.revenue_mtd, m.revenue_last_month, m.revenue_last_quarter, m.revenue_quarter_before,
       m.revenue_ytd, m.revenue_increase_pct_qoq
FROM mart.traffic_revenue_by_period m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

-- 5. Grants, all of them, whatever V5 and V50 managed to do.
-- writer: the pipeline. Reads and writes the layers, records runs, reads the migration history
-- (Flyway validates it on every run); creates nothing, reads neither the key nor share.
GRANT USAGE ON SCHEMA raw, staging, dw, mart, dq, ops, kpi TO c360_writer;
REVOKE CREATE ON SCHEMA raw, staging, dw, mart, dq, ops, kpi, share FROM c360_writer;
REVOKE USAGE ON SCHEMA share FROM c360_writer;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE
  ON ALL TABLES IN SCHEMA raw, staging, dw, mart, dq, ops, kpi TO c360_writer;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA raw, staging, dw, mart, dq, ops, kpi
  TO c360_writer;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ops.flyway_schema_history FROM c360_writer;
REVOKE ALL ON ops.share_key FROM PUBLIC, c360_writer, c360_reader, c360_partner;
-- reader: BI, read-only on the warehouse, marts, quality and share layers (not raw, not the key).
GRANT USAGE ON SCHEMA dw, mart, dq, share TO c360_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA dw, mart, dq, share TO c360_reader;
-- partner: share only.
GRANT USAGE ON SCHEMA share TO c360_partner;
GRANT SELECT ON ALL TABLES IN SCHEMA share TO c360_partner;
-- Tables and views the owner adds later get the same grants (a migration adding a schema grants
-- on it itself, as V50 did for kpi).
ALTER DEFAULT PRIVILEGES IN SCHEMA raw, staging, dw, mart, dq, ops, kpi
  GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO c360_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA raw, staging, dw, mart, dq, ops, kpi
  GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO c360_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA dw, mart, dq, share GRANT SELECT ON TABLES TO c360_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA share GRANT SELECT ON TABLES TO c360_partner;

-- 6. A GRANT on an object the migrating user does not own only warns. Check that every grant
--    holds, so a migration by the wrong user fails here instead of recording success.
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN
    SELECT c.oid::regclass AS rel, n.nspname, pg_get_userbyid(c.relowner) AS owner
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v')
      AND n.nspname IN ('raw', 'staging', 'dw', 'mart', 'dq', 'ops', 'kpi', 'share')
  LOOP
    IF t.nspname <> 'share' AND t.rel <> 'ops.share_key'::regclass
       AND t.rel <> 'ops.flyway_schema_history'::regclass
       AND NOT (has_table_privilege('c360_writer', t.rel, 'SELECT')
                AND has_table_privilege('c360_writer', t.rel, 'INSERT')
                AND has_table_privilege('c360_writer', t.rel, 'DELETE')) THEN
      RAISE EXCEPTION 'c360: c360_writer cannot write % (owned by %, migrating as %)',
        t.rel, t.owner, current_user;
    END IF;
    IF t.nspname IN ('dw', 'mart', 'dq', 'share')
       AND NOT has_table_privilege('c360_reader', t.rel, 'SELECT') THEN
      RAISE EXCEPTION 'c360: c360_reader cannot read % (owned by %, migrating as %)',
        t.rel, t.owner, current_user;
    END IF;
    IF t.nspname = 'share' AND NOT has_table_privilege('c360_partner', t.rel, 'SELECT') THEN
      RAISE EXCEPTION 'c360: c360_partner cannot read % (owned by %, migrating as %)',
        t.rel, t.owner, current_user;
    END IF;
  END LOOP;
  IF has_table_privilege('c360_writer', 'ops.share_key', 'SELECT')
     OR has_table_privilege('c360_reader', 'ops.share_key', 'SELECT')
     OR has_table_privilege('c360_partner', 'ops.share_key', 'SELECT')
     OR has_function_privilege('c360_writer', 'share.keyed_hash(text)', 'EXECUTE')
     OR has_function_privilege('c360_reader', 'share.keyed_hash(text)', 'EXECUTE')
     OR has_function_privilege('c360_partner', 'share.keyed_hash(text)', 'EXECUTE') THEN
    RAISE EXCEPTION 'c360: a c360 role can still read the share key or compute a keyed hash';
  END IF;
END $$;
