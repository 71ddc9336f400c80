-- Contender (b) of bench/run.sh, "the approach c360 replaces": CSV -> raw text tables -> plain SQL.
-- Set-up, run once on a database that `c360 migrate` prepared (so (b) writes the same dw, dq, mart
-- tables, with the same keys, indexes and partitions, as c360): landing tables and helpers.
-- Not timed. The timed part is the COPY by header (bench/BenchDb.java) and 10_..40_*.sql.

CREATE SCHEMA lz;
CREATE SEQUENCE lz.row_seq;

-- One text column per landing column, the file it came from (set per file before its COPY) and a
-- row number that follows file order, then line order ("the later file, then the later line,
-- wins"). x1..x4 take unknown columns (landed, ignored).
CREATE TABLE lz.customers (
  source_file text, row_no bigint DEFAULT nextval('lz.row_seq'),
  customer_id text, account_id text, name text, email text, city text, country text,
  segment text, industry text, created_date text, updated_at text,
  x1 text, x2 text, x3 text, x4 text);
CREATE TABLE lz.products (
  source_file text, row_no bigint DEFAULT nextval('lz.row_seq'),
  product_id text, product_name text, category text, brand text, list_price text, updated_at text,
  x1 text, x2 text, x3 text, x4 text);
CREATE TABLE lz.channels (
  source_file text, row_no bigint DEFAULT nextval('lz.row_seq'),
  channel_id text, channel_name text, channel_type text, unit_price_eur text,
  x1 text, x2 text, x3 text, x4 text);
CREATE TABLE lz.sales (
  source_file text, row_no bigint DEFAULT nextval('lz.row_seq'),
  transaction_id text, order_id text, customer_id text, product_id text, shop_id text,
  quantity text, unit_price text, amount text, status text, transaction_ts text,
  x1 text, x2 text, x3 text, x4 text);
CREATE TABLE lz.traffic (
  source_file text, row_no bigint DEFAULT nextval('lz.row_seq'),
  send_date text, account_id text, customer_id text, channel_id text,
  interactions_count text, revenue_eur text,
  x1 text, x2 text, x3 text, x4 text);

-- Per-run reconciliation of (b), as c360 keeps it in ops.pipeline_runs.entity_counts.
CREATE TABLE lz.run_counts (
  run_id bigint, entity text, read bigint, loaded bigint, quarantined bigint,
  deduplicated bigint, pending bigint, PRIMARY KEY (run_id, entity));

-- Cleaning helpers (SPEC §1 values, §2 cleaning). Strings: control characters removed, trimmed,
-- empty -> null. Names first get runs of whitespace (line breaks too) collapsed to one space. Identifiers: '12472.0' -> '12472'.
CREATE FUNCTION lz.str(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT nullif(btrim(regexp_replace(v, '[[:cntrl:]]', '', 'g')), '') $$;
CREATE FUNCTION lz.name(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lz.str(regexp_replace(v, '[[:space:]]+', ' ', 'g')) $$;
CREATE FUNCTION lz.id(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT regexp_replace(lz.str(v), '^([+-]?[0-9]+)\.0*$', '\1') $$;
-- Accepted values are matched case- and space-insensitively.
CREATE FUNCTION lz.akey(v text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(regexp_replace(v, '[[:space:]]+', '', 'g')) $$;
-- Type checks: the spellings SPEC §1 allows and the bounds of §2 (numeric(18,4): < 14 integer
-- digits; bigint; years 1900-2999).
CREATE FUNCTION lz.is_int(v text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT v ~ '^[+-]?[0-9]+(\.0*)?$' AND pg_input_is_valid(regexp_replace(v, '\.0*$', ''), 'bigint') $$;
CREATE FUNCTION lz.is_dec(v text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT v ~ '^[+-]?0*[0-9]{1,13}(\.[0-9]*)?$' OR v ~ '^[+-]?\.[0-9]+$' $$;
CREATE FUNCTION lz.is_date(v text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT v ~ '^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$' AND pg_input_is_valid(v, 'date') $$;
CREATE FUNCTION lz.is_ts(v text) RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT v ~ '^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$'
     AND substr(v, 20) !~ '[+-](1[5-9]|[2-9][0-9])' AND pg_input_is_valid(replace(v, 'T', ' '), 'timestamptz') $$;
CREATE FUNCTION lz.is_email(v text) RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT v ~ '^[^@]+@[^@]+\.[^@]+$' $$;
-- Naive timestamps are read in --timezone (UTC here: the session's time zone is set to UTC).
CREATE FUNCTION lz.ts(v text) RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT replace(v, 'T', ' ')::timestamptz $$;

CREATE TABLE lz.accepted (col text, akey text, val text, PRIMARY KEY (col, akey));
INSERT INTO lz.accepted
SELECT col, lz.akey(val), val FROM (VALUES
  ('segment', 'SMB'), ('segment', 'Mid-Market'), ('segment', 'Enterprise'),
  ('category', 'Apps & Games'), ('category', 'Beauty'), ('category', 'Books'),
  ('category', 'Clothing Shoes & Accessories'), ('category', 'Kitchen'),
  ('category', 'Movies & TV'), ('category', 'Sports Fitness & Outdoors'),
  ('status', 'completed'), ('status', 'cancelled'), ('status', 'returned')) v(col, val);
