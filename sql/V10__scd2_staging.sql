-- scd2: the complete new histories of the keys a merge run changes (issue 5). The merge writes
-- them here (idempotently: a retried bundle collides on the primary key), then one transaction
-- replaces those keys' rows in the dimension, re-points their facts and empties this run's rows.
-- The sk column is null for versions the dimension's identity has not numbered yet.
CREATE TABLE staging.dim_customer_history (
  merge_run_id bigint      NOT NULL,
  customer_sk  bigint,
  customer_id  text        NOT NULL,
  account_id   text,
  name         text        NOT NULL,
  email        text,
  city         text,
  country      text,
  segment      text,
  industry     text,
  created_date date,
  row_hash     text        NOT NULL,
  valid_from   timestamptz NOT NULL,
  valid_to     timestamptz NOT NULL,
  is_current   boolean     NOT NULL,
  is_deleted   boolean     NOT NULL,
  run_id       bigint      NOT NULL,
  PRIMARY KEY (merge_run_id, customer_id, valid_from)
);

CREATE TABLE staging.dim_product_history (
  merge_run_id bigint      NOT NULL,
  product_sk   bigint,
  product_id   text        NOT NULL,
  product_name text        NOT NULL,
  category     text        NOT NULL,
  brand        text,
  list_price   numeric(18, 4),
  row_hash     text        NOT NULL,
  valid_from   timestamptz NOT NULL,
  valid_to     timestamptz NOT NULL,
  is_current   boolean     NOT NULL,
  is_deleted   boolean     NOT NULL,
  run_id       bigint      NOT NULL,
  PRIMARY KEY (merge_run_id, product_id, valid_from)
);

-- Point-in-time surrogate key for the fact loader: the version of the key valid at ts, or its
-- first version when ts is older than the key's history. One index probe of dim_*_pit_idx each.
CREATE FUNCTION dw.customer_sk_at(key text, ts timestamptz) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT COALESCE(
    (SELECT d.customer_sk FROM dw.dim_customer d
      WHERE d.customer_id = key AND d.valid_from <= ts ORDER BY d.valid_from DESC LIMIT 1),
    (SELECT d.customer_sk FROM dw.dim_customer d
      WHERE d.customer_id = key ORDER BY d.valid_from LIMIT 1))
$$;

CREATE FUNCTION dw.product_sk_at(key text, ts timestamptz) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT COALESCE(
    (SELECT d.product_sk FROM dw.dim_product d
      WHERE d.product_id = key AND d.valid_from <= ts ORDER BY d.valid_from DESC LIMIT 1),
    (SELECT d.product_sk FROM dw.dim_product d
      WHERE d.product_id = key ORDER BY d.valid_from LIMIT 1))
$$;
