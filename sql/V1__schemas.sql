-- c360 warehouse: one schema per layer (SPEC §3). Applied by Flyway (`c360 migrate`).
CREATE SCHEMA IF NOT EXISTS raw;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS dw;
CREATE SCHEMA IF NOT EXISTS mart;
CREATE SCHEMA IF NOT EXISTS dq;
CREATE SCHEMA IF NOT EXISTS ops;
CREATE SCHEMA IF NOT EXISTS share;

-- ops: one row per run; entity_counts holds the reconciliation of SPEC §2 per entity:
-- {"sales": {"read": n, "loaded": n, "quarantined": n, "deduplicated": n, "pending": n}, ...}
CREATE TABLE ops.pipeline_runs (
  run_id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  pipeline      text        NOT NULL,
  run_date      date        NOT NULL,
  as_of         date        NOT NULL,
  runner        text        NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  ended_at      timestamptz,
  status        text        NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'succeeded', 'failed')),
  entity_counts jsonb       NOT NULL DEFAULT '{}'::jsonb,
  options       jsonb       NOT NULL DEFAULT '{}'::jsonb,
  message       text
);
CREATE INDEX pipeline_runs_date_idx ON ops.pipeline_runs (pipeline, run_date);

-- raw: every row read, as landed (text), with lineage. One table per entity.
CREATE TABLE raw.customers (
  run_id bigint NOT NULL, dt date NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  customer_id text, account_id text, name text, email text, city text, country text,
  segment text, industry text, created_date text, updated_at text,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, source_file, line_no)
);
CREATE TABLE raw.products (
  run_id bigint NOT NULL, dt date NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  product_id text, product_name text, category text, brand text, list_price text, updated_at text,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, source_file, line_no)
);
CREATE TABLE raw.channels (
  run_id bigint NOT NULL, dt date NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  channel_id text, channel_name text, channel_type text, unit_price_eur text,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, source_file, line_no)
);
CREATE TABLE raw.sales (
  run_id bigint NOT NULL, dt date NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  transaction_id text, order_id text, customer_id text, product_id text, shop_id text,
  quantity text, unit_price text, amount text, status text, transaction_ts text,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, source_file, line_no)
);
CREATE TABLE raw.traffic (
  run_id bigint NOT NULL, dt date NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  send_date text, account_id text, customer_id text, channel_id text,
  interactions_count text, revenue_eur text,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, source_file, line_no)
);

-- staging: typed, cleaned, deduplicated rows of a run (kept until the next run of the entity).
CREATE TABLE staging.customers (
  run_id bigint NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  PRIMARY KEY (run_id, source_file, line_no),
  customer_id text NOT NULL, account_id text, name text NOT NULL, email text, city text,
  country text, segment text, industry text, created_date date, updated_at timestamptz
);
CREATE TABLE staging.products (
  run_id bigint NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  PRIMARY KEY (run_id, source_file, line_no),
  product_id text NOT NULL, product_name text NOT NULL, category text NOT NULL, brand text,
  list_price numeric(18, 4), updated_at timestamptz
);
CREATE TABLE staging.channels (
  run_id bigint NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  PRIMARY KEY (run_id, source_file, line_no),
  channel_id text NOT NULL, channel_name text NOT NULL, channel_type text,
  unit_price_eur numeric(18, 6)
);
CREATE TABLE staging.sales (
  run_id bigint NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  PRIMARY KEY (run_id, source_file, line_no),
  transaction_id text NOT NULL, order_id text, customer_id text NOT NULL, product_id text,
  shop_id text, quantity bigint NOT NULL, unit_price numeric(18, 4), amount numeric(18, 4),
  status text NOT NULL, transaction_ts timestamptz NOT NULL, amount_imputed boolean NOT NULL
);
CREATE TABLE staging.traffic (
  run_id bigint NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  PRIMARY KEY (run_id, source_file, line_no),
  send_date date NOT NULL, account_id text, customer_id text NOT NULL, channel_id text NOT NULL,
  interactions_count bigint NOT NULL, revenue_eur numeric(18, 4) NOT NULL
);
CREATE INDEX staging_customers_run_idx ON staging.customers (run_id, customer_id);
CREATE INDEX staging_products_run_idx ON staging.products (run_id, product_id);
CREATE INDEX staging_channels_run_idx ON staging.channels (run_id);
CREATE INDEX staging_sales_run_idx ON staging.sales (run_id);
CREATE INDEX staging_traffic_run_idx ON staging.traffic (run_id);

-- dq: quarantine, rows waiting for a dimension member, check results.
CREATE TABLE dq.rejected_rows (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id      bigint      NOT NULL,
  entity      text        NOT NULL,
  source_file text        NOT NULL,
  line_no     bigint      NOT NULL,
  rule        text        NOT NULL,
  message     text        NOT NULL,
  record      jsonb       NOT NULL,
  rejected_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (run_id, source_file, line_no, rule)
);
CREATE INDEX rejected_rows_run_idx ON dq.rejected_rows (run_id, entity, rule);

-- A fact row whose customer/product/channel is in no dimension version waits here (keyed by its
-- natural key) and is retried on every later run; it is deleted when it loads.
CREATE TABLE dq.pending_rows (
  entity       text        NOT NULL,
  natural_key  text        NOT NULL,
  rule         text        NOT NULL,
  message      text        NOT NULL,
  first_run_id bigint      NOT NULL,
  last_run_id  bigint      NOT NULL,
  attempts     integer     NOT NULL DEFAULT 1,
  source_file  text        NOT NULL,
  line_no      bigint      NOT NULL,
  record       jsonb       NOT NULL,
  first_seen   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entity, natural_key)
);

CREATE TABLE dq.check_results (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id       bigint      NOT NULL,
  check_name   text        NOT NULL,
  entity       text        NOT NULL,
  column_name  text,
  severity     text        NOT NULL CHECK (severity IN ('warn', 'error')),
  status       text        NOT NULL CHECK (status IN ('pass', 'warn', 'fail')),
  failing_rows bigint      NOT NULL DEFAULT 0,
  threshold    text,
  sample_keys  text[]      NOT NULL DEFAULT '{}',
  message      text,
  checked_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX check_results_run_idx ON dq.check_results (run_id);
