-- Sharing and access (SPEC §6).
--
-- The pseudonymisation key lives in ops.share_key, written by `c360 migrate`/`run` from
-- C360_SHARE_KEY or --shareKeyFile (or a random key generated once), never in SQL files. Only the
-- owner of these objects can read it; share.keyed_hash is SECURITY DEFINER so views can use it.
CREATE TABLE ops.share_key (
  id   boolean PRIMARY KEY DEFAULT true CHECK (id),
  key  text NOT NULL,
  set_at timestamptz NOT NULL DEFAULT now()
);
REVOKE ALL ON ops.share_key FROM PUBLIC;

-- Keyed hash: sha256(key || sha256(key || value)); the outer hash makes it immune to length
-- extension, like HMAC, with only built-in functions (no pgcrypto needed).
CREATE FUNCTION share.keyed_hash(value text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, ops AS $$
  SELECT CASE WHEN value IS NULL THEN NULL ELSE
    encode(sha256(convert_to(k.key, 'UTF8') ||
                  sha256(convert_to(k.key || value, 'UTF8'))), 'hex') END
  FROM ops.share_key k
$$;

-- Masked email: first character, then *** and the domain (a***@example.com).
CREATE FUNCTION share.mask_email(email text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN email IS NULL OR position('@' IN email) < 2 THEN NULL
              ELSE left(email, 1) || '***' || substr(email, position('@' IN email)) END
$$;

CREATE VIEW share.customer_360 AS
SELECT as_of, share.keyed_hash(customer_id) AS customer_key, share.keyed_hash(name) AS name_hash,
       share.mask_email(email) AS email_masked, city, country, segment, industry,
       first_purchase_date, last_purchase_date, orders, lifetime_revenue, avg_order_value,
       apps_and_games_amount, beauty_amount, books_amount, clothing_shoes_and_accessories_amount,
       kitchen_amount, movies_and_tv_amount, sports_fitness_and_outdoors_amount,
       customer_type, churn_risk
FROM mart.customer_360;

CREATE VIEW share.customer_ytd_spending AS
SELECT as_of, share.keyed_hash(customer_id) AS customer_key, ytd_spending FROM mart.customer_ytd_spending;
CREATE VIEW share.customer_revenue_by_period AS
SELECT as_of, share.keyed_hash(customer_id) AS customer_key, revenue_mtd, revenue_last_month,
       revenue_last_quarter, revenue_ytd, revenue_increase_pct_qoq
FROM mart.customer_revenue_by_period;
CREATE VIEW share.customer_value_band AS
SELECT as_of, share.keyed_hash(customer_id) AS customer_key, revenue_12m, band FROM mart.customer_value_band;
CREATE VIEW share.top_customers AS
SELECT as_of, rank, share.keyed_hash(customer_id) AS customer_key, revenue FROM mart.top_customers;
CREATE VIEW share.industry_exposure AS SELECT * FROM mart.industry_exposure;
CREATE VIEW share.segment_share AS SELECT * FROM mart.segment_share;
CREATE VIEW share.daily_sales AS SELECT * FROM mart.daily_sales;
CREATE VIEW share.monthly_sales AS SELECT * FROM mart.monthly_sales;
CREATE VIEW share.product_performance AS SELECT * FROM mart.product_performance;
CREATE VIEW share.numeric_stats AS SELECT * FROM mart.numeric_stats;

-- Roles: created when the migrating user may create roles (else a notice; an administrator can
-- run this block later). NOLOGIN groups: grant them to real login users.
DO $$
DECLARE
  r text;
BEGIN
  FOREACH r IN ARRAY ARRAY['c360_writer', 'c360_reader', 'c360_partner'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
      BEGIN
        EXECUTE format('CREATE ROLE %I NOLOGIN', r);
      EXCEPTION WHEN insufficient_privilege THEN
        RAISE NOTICE 'c360: cannot create role % (no CREATEROLE); grants skipped', r;
        RETURN;
      END;
    END IF;
  END LOOP;
  -- writer: the pipeline.
  GRANT USAGE, CREATE ON SCHEMA raw, staging, dw, mart, dq, ops, share TO c360_writer;
  GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA raw, staging, dw, mart, dq, ops TO c360_writer;
  GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA raw, staging, dw, mart, dq, ops TO c360_writer;
  -- reader: BI, read-only on the warehouse, marts, quality and share layers (not raw, not the key).
  GRANT USAGE ON SCHEMA dw, mart, dq, share TO c360_reader;
  GRANT SELECT ON ALL TABLES IN SCHEMA dw, mart, dq, share TO c360_reader;
  -- partner: share only.
  GRANT USAGE ON SCHEMA share TO c360_partner;
  GRANT SELECT ON ALL TABLES IN SCHEMA share TO c360_partner;
  REVOKE ALL ON ops.share_key FROM c360_writer;
  -- Views and tables added by later migrations get the same grants.
  ALTER DEFAULT PRIVILEGES IN SCHEMA share GRANT SELECT ON TABLES TO c360_reader, c360_partner;
  ALTER DEFAULT PRIVILEGES IN SCHEMA dw, mart, dq GRANT SELECT ON TABLES TO c360_reader;
  ALTER DEFAULT PRIVILEGES IN SCHEMA raw, staging, dw, mart, dq, ops
    GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO c360_writer;
END $$;
