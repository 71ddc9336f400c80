-- The three entities of SPEC §8 (issue 16): campaigns, web_events, inventory. Same layers and
-- conventions as the five entities of V1/V2: raw (as landed, lineage), staging (typed, cleaned rows
-- of a run), dw (Type 1 dimension, facts keyed by their natural key, run_id lineage, date key into
-- dw.dim_date, surrogate keys of the dimension versions valid at the fact's time), share (no PII).
-- Column names are the entity's (io.c360.transforms.model.Entities): the loader derives its SQL
-- from the declarations, so a column here must carry the declared name.

-- raw: every row read, as landed (text), with lineage.
CREATE TABLE raw.campaigns (
  run_id bigint NOT NULL, dt date NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  campaign_id text, campaign_name text, channel_id text, start_date text, end_date text,
  budget_eur text, updated_at text,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, source_file, line_no)
);
CREATE TABLE raw.web_events (
  run_id bigint NOT NULL, dt date NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  event_id text, session_id text, customer_id text, event_type text, product_id text,
  campaign_id text, event_ts text,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, source_file, line_no)
);
CREATE TABLE raw.inventory (
  run_id bigint NOT NULL, dt date NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  snapshot_date text, product_id text, shop_id text, on_hand text, on_order text, unit_cost text,
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, source_file, line_no)
);

-- staging: typed, cleaned, deduplicated rows of a run (kept until the next run of the entity).
CREATE TABLE staging.campaigns (
  run_id bigint NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  PRIMARY KEY (run_id, source_file, line_no),
  campaign_id text NOT NULL, campaign_name text NOT NULL, channel_id text, start_date date NOT NULL,
  end_date date, budget_eur numeric(18, 4), updated_at timestamptz
);
CREATE TABLE staging.web_events (
  run_id bigint NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  PRIMARY KEY (run_id, source_file, line_no),
  event_id text NOT NULL, session_id text NOT NULL, customer_id text, event_type text NOT NULL,
  product_id text, campaign_id text, event_ts timestamptz NOT NULL
);
CREATE TABLE staging.inventory (
  run_id bigint NOT NULL, source_file text NOT NULL, line_no bigint NOT NULL,
  PRIMARY KEY (run_id, source_file, line_no),
  snapshot_date date NOT NULL, product_id text NOT NULL, shop_id text NOT NULL,
  on_hand bigint NOT NULL, on_order bigint, unit_cost numeric(18, 4)
);
CREATE INDEX staging_campaigns_run_idx ON staging.campaigns (run_id);
CREATE INDEX staging_web_events_run_idx ON staging.web_events (run_id);
CREATE INDEX staging_inventory_run_idx ON staging.inventory (run_id);

-- dw.dim_campaign: Type 1 like dw.dim_channel (one row per campaign_id, overwritten by the latest
-- delivery). The landed updated_at is a column of the entity, so the time the row was last written
-- is loaded_at here (dw.dim_channel calls it updated_at).
CREATE TABLE dw.dim_campaign (
  campaign_id   text PRIMARY KEY,
  campaign_name text   NOT NULL,
  channel_id    text,
  start_date    date   NOT NULL,
  end_date      date,
  budget_eur    numeric(18, 4),
  updated_at    timestamptz,
  run_id        bigint NOT NULL,
  loaded_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (end_date IS NULL OR end_date >= start_date)  -- business:campaign_dates quarantines the rest
);
-- campaign_performance: campaigns whose [start_date, end_date] overlaps the 12-month window.
CREATE INDEX dim_campaign_dates_idx ON dw.dim_campaign (start_date, end_date);

-- dw.fact_web_events: one row per event_id. Partitioned by month of event_date (event_ts as a
-- calendar date in --timezone), like dw.fact_sales: the primary key holds the partition column, so
-- uniqueness of event_id alone is enforced by dw.web_event_keys. customer_id is null for an
-- anonymous visitor (customer_sk null too); customer_sk and product_sk are the versions valid at
-- event_ts (a point in time older than the member's first version takes the first version).
CREATE TABLE dw.fact_web_events (
  event_id    text        NOT NULL,
  session_id  text        NOT NULL,
  customer_id text,
  event_type  text        NOT NULL,
  product_id  text,
  campaign_id text,
  event_ts    timestamptz NOT NULL,
  event_date  date        NOT NULL,
  customer_sk bigint,
  product_sk  bigint,
  date_key    integer     NOT NULL,
  run_id      bigint      NOT NULL,
  PRIMARY KEY (event_date, event_id)
) PARTITION BY RANGE (event_date);
CREATE TABLE dw.fact_web_events_default PARTITION OF dw.fact_web_events DEFAULT;
-- funnel_daily: sessions per date and event type over 30 days.
CREATE INDEX fact_web_events_funnel_idx ON dw.fact_web_events (event_date, event_type, session_id);
-- campaign_performance: a campaign's sessions and customers over 12 months.
CREATE INDEX fact_web_events_campaign_idx ON dw.fact_web_events (campaign_id, event_date)
  INCLUDE (session_id, customer_id) WHERE campaign_id IS NOT NULL;
-- last-touch attribution: a customer's latest event with a campaign in [ts − 7 days, ts].
CREATE INDEX fact_web_events_touch_idx ON dw.fact_web_events (customer_id, event_ts)
  INCLUDE (campaign_id) WHERE customer_id IS NOT NULL AND campaign_id IS NOT NULL;
CREATE INDEX fact_web_events_product_idx ON dw.fact_web_events (product_id, event_date)
  WHERE product_id IS NOT NULL;
CREATE INDEX fact_web_events_customer_sk_idx ON dw.fact_web_events (customer_sk)
  WHERE customer_sk IS NOT NULL;
CREATE INDEX fact_web_events_product_sk_idx ON dw.fact_web_events (product_sk)
  WHERE product_sk IS NOT NULL;

-- Where each event lives, so a re-delivered event with a changed date moves instead of
-- duplicating across partitions.
CREATE TABLE dw.web_event_keys (
  event_id   text PRIMARY KEY,
  event_date date NOT NULL
);

-- Creates the monthly partition holding d if it is missing; called by the loader before writing.
-- As the owner (only an owner may add a partition), like dw.ensure_sales_partition after V60.
CREATE FUNCTION dw.ensure_web_events_partition(d date) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  m date := date_trunc('month', d)::date;
  part text := format('fact_web_events_%s', to_char(m, 'YYYYMM'));
BEGIN
  IF to_regclass(format('dw.%I', part)) IS NULL THEN
    EXECUTE format('CREATE TABLE dw.%I PARTITION OF dw.fact_web_events FOR VALUES FROM (%L) TO (%L)',
                   part, m, (m + interval '1 month')::date);
  END IF;
END $$;
REVOKE EXECUTE ON FUNCTION dw.ensure_web_events_partition(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dw.ensure_web_events_partition(date) TO c360_writer;

-- dw.fact_inventory: one row per (snapshot_date, product_id, shop_id); product_sk is the product
-- version valid at snapshot_date 00:00 in --timezone.
CREATE TABLE dw.fact_inventory (
  snapshot_date date    NOT NULL,
  product_id    text    NOT NULL,
  shop_id       text    NOT NULL,
  on_hand       bigint  NOT NULL CHECK (on_hand >= 0),  -- business:negative_stock quarantines the rest
  on_order      bigint,
  unit_cost     numeric(18, 4),
  product_sk    bigint  NOT NULL,
  date_key      integer NOT NULL,
  run_id        bigint  NOT NULL,
  PRIMARY KEY (snapshot_date, product_id, shop_id)
);
-- inventory_health: each shop's latest snapshot ≤ D, and a product's snapshots in a window.
CREATE INDEX fact_inventory_product_idx ON dw.fact_inventory (product_id, shop_id, snapshot_date)
  INCLUDE (on_hand);
CREATE INDEX fact_inventory_product_sk_idx ON dw.fact_inventory (product_sk);

-- share: no direct PII (SPEC §6). Customers, sessions and events are pseudonymised with the keyed
-- hash as in V60 (a session or event id links a visitor's clicks as a customer id does); surrogate
-- keys are left out (they identify customer versions), and so is run_id.
CREATE VIEW share.campaigns AS
SELECT campaign_id, campaign_name, channel_id, start_date, end_date, budget_eur, updated_at
FROM dw.dim_campaign;

CREATE VIEW share.web_events AS
SELECT share.hash_with(k.key, f.event_id) AS event_key,
       share.hash_with(k.key, f.session_id) AS session_key,
       share.hash_with(k.key, f.customer_id) AS customer_key, f.event_type, f.product_id,
       f.campaign_id, f.event_ts, f.event_date
FROM dw.fact_web_events f LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

CREATE VIEW share.inventory AS
SELECT snapshot_date, product_id, shop_id, on_hand, on_order, unit_cost FROM dw.fact_inventory;

-- Grants as V60 gives them, whoever migrates (default privileges belong to the user who set them).
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON raw.campaigns, raw.web_events, raw.inventory,
  staging.campaigns, staging.web_events, staging.inventory, dw.dim_campaign, dw.fact_web_events,
  dw.fact_web_events_default, dw.web_event_keys, dw.fact_inventory TO c360_writer;
GRANT SELECT ON dw.dim_campaign, dw.fact_web_events, dw.fact_web_events_default,
  dw.web_event_keys, dw.fact_inventory TO c360_reader;
GRANT SELECT ON share.campaigns, share.web_events, share.inventory TO c360_reader, c360_partner;
