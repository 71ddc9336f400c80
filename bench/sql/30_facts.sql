-- (b) step 3, one transaction: facts. Point-in-time surrogate keys (the version valid at
-- transaction_ts; a sale older than its member's first version takes the first version), rows
-- whose customer/product/channel is in no version wait in dq.pending_rows (retried every run by
-- 10_clean), upserts on the natural key, the calendar.

-- ---------------------------------------------------------------- sales
ANALYZE s_ok;
CREATE TEMP TABLE s_pit AS
SELECT s.*,
  CASE WHEN s.customer_sk IS NULL THEN 'relationships:customer_id'
       WHEN s.product_id IS NOT NULL AND s.product_sk IS NULL THEN 'relationships:product_id'
  END AS fk_rule
FROM (
  SELECT s.*,
    coalesce(c.customer_sk,
      (SELECT d.customer_sk FROM dw.dim_customer d
       WHERE d.customer_id = s.customer_id ORDER BY d.valid_from LIMIT 1)) AS customer_sk,
    coalesce(p.product_sk,
      (SELECT d.product_sk FROM dw.dim_product d
       WHERE d.product_id = s.product_id ORDER BY d.valid_from LIMIT 1)) AS product_sk
  FROM s_ok s
  LEFT JOIN dw.dim_customer c ON c.customer_id = s.customer_id
   AND c.valid_from <= s.transaction_ts AND s.transaction_ts < c.valid_to
  LEFT JOIN dw.dim_product p ON p.product_id = s.product_id
   AND p.valid_from <= s.transaction_ts AND s.transaction_ts < p.valid_to
  WHERE s.rn = 1) s;

INSERT INTO dq.pending_rows (entity, natural_key, rule, message, first_run_id, last_run_id,
                             attempts, source_file, line_no, record)
SELECT 'sales', s.transaction_id, s.fk_rule,
       format('%s: %s is in no dimension version', s.fk_rule,
              CASE WHEN s.fk_rule LIKE '%customer_id' THEN s.customer_id ELSE s.product_id END),
       run.run_id, run.run_id, 1, s.source_file, s.line_no,
       to_jsonb(r) - 'row_no' - 'source_file' - 'retry' - 'line_no'
FROM s_pit s JOIN s0 r ON r.row_no = s.row_no, run WHERE s.fk_rule IS NOT NULL
ON CONFLICT (entity, natural_key) DO UPDATE
SET rule = excluded.rule, message = excluded.message, last_run_id = excluded.last_run_id,
    attempts = dq.pending_rows.attempts + 1, source_file = excluded.source_file,
    line_no = excluded.line_no, record = excluded.record;

CREATE TEMP TABLE s_load AS
SELECT s.*, (s.transaction_ts AT TIME ZONE 'UTC')::date AS sales_date
FROM s_pit s WHERE s.fk_rule IS NULL;

DELETE FROM dq.pending_rows p USING s_load s
WHERE p.entity = 'sales' AND p.natural_key = s.transaction_id;

INSERT INTO dw.dim_date (date_key, date, year, quarter, month, day, iso_week, day_of_week,
                         month_start, quarter_start, is_weekend)
SELECT to_char(d, 'YYYYMMDD')::int, d, extract(year FROM d), extract(quarter FROM d),
       extract(month FROM d), extract(day FROM d), extract(week FROM d), extract(isodow FROM d),
       date_trunc('month', d)::date, date_trunc('quarter', d)::date, extract(isodow FROM d) >= 6
FROM (SELECT DISTINCT sales_date AS d FROM s_load) x
ON CONFLICT DO NOTHING;

SELECT dw.ensure_sales_partition(m)
FROM (SELECT DISTINCT date_trunc('month', sales_date)::date AS m FROM s_load) x;

-- a re-delivered transaction whose date changed leaves its old month partition
DELETE FROM dw.fact_sales f USING s_load n, dw.sales_keys k
WHERE k.transaction_id = n.transaction_id AND k.sales_date <> n.sales_date
  AND f.transaction_id = k.transaction_id AND f.sales_date = k.sales_date;

INSERT INTO dw.fact_sales (transaction_id, order_id, customer_id, product_id, shop_id, customer_sk,
                           product_sk, date_key, sales_date, transaction_ts, quantity, unit_price,
                           amount, status, amount_imputed, run_id)
SELECT s.transaction_id, s.order_id, s.customer_id, s.product_id, s.shop_id, s.customer_sk,
       s.product_sk, to_char(s.sales_date, 'YYYYMMDD')::int, s.sales_date, s.transaction_ts,
       s.quantity, s.unit_price, s.amount, s.status, s.amount_imputed, run.run_id
FROM s_load s, run
ON CONFLICT (sales_date, transaction_id) DO UPDATE
SET order_id = excluded.order_id, customer_id = excluded.customer_id,
    product_id = excluded.product_id, shop_id = excluded.shop_id,
    customer_sk = excluded.customer_sk, product_sk = excluded.product_sk,
    transaction_ts = excluded.transaction_ts, quantity = excluded.quantity,
    unit_price = excluded.unit_price, amount = excluded.amount, status = excluded.status,
    amount_imputed = excluded.amount_imputed, run_id = excluded.run_id;

INSERT INTO dw.sales_keys (transaction_id, sales_date)
SELECT transaction_id, sales_date FROM s_load
ON CONFLICT (transaction_id) DO UPDATE SET sales_date = excluded.sales_date;

-- ---------------------------------------------------------------- traffic
ANALYZE t_ok;
CREATE TEMP TABLE t_pit AS
SELECT t.*,
  CASE WHEN t.customer_sk IS NULL THEN 'relationships:customer_id'
       WHEN NOT EXISTS (SELECT 1 FROM dw.dim_channel c WHERE c.channel_id = t.channel_id)
         THEN 'relationships:channel_id'
  END AS fk_rule
FROM (
  SELECT t.*,
    coalesce(c.customer_sk,
      (SELECT d.customer_sk FROM dw.dim_customer d
       WHERE d.customer_id = t.customer_id ORDER BY d.valid_from LIMIT 1)) AS customer_sk
  FROM t_ok t
  LEFT JOIN dw.dim_customer c ON c.customer_id = t.customer_id
   AND c.valid_from <= t.send_date::timestamptz AND t.send_date::timestamptz < c.valid_to
  WHERE t.rn = 1) t;

INSERT INTO dq.pending_rows (entity, natural_key, rule, message, first_run_id, last_run_id,
                             attempts, source_file, line_no, record)
SELECT 'traffic', concat_ws('|', t.send_date, t.account_id, t.customer_id, t.channel_id), t.fk_rule,
       format('%s: no dimension version', t.fk_rule),
       run.run_id, run.run_id, 1, t.source_file, t.line_no,
       to_jsonb(r) - 'row_no' - 'source_file' - 'retry' - 'line_no'
FROM t_pit t JOIN t0 r ON r.row_no = t.row_no, run WHERE t.fk_rule IS NOT NULL
ON CONFLICT (entity, natural_key) DO UPDATE
SET rule = excluded.rule, message = excluded.message, last_run_id = excluded.last_run_id,
    attempts = dq.pending_rows.attempts + 1, source_file = excluded.source_file,
    line_no = excluded.line_no, record = excluded.record;

DELETE FROM dq.pending_rows p USING t_pit t
WHERE t.fk_rule IS NULL AND p.entity = 'traffic'
  AND p.natural_key = concat_ws('|', t.send_date, t.account_id, t.customer_id, t.channel_id);

INSERT INTO dw.dim_date (date_key, date, year, quarter, month, day, iso_week, day_of_week,
                         month_start, quarter_start, is_weekend)
SELECT to_char(d, 'YYYYMMDD')::int, d, extract(year FROM d), extract(quarter FROM d),
       extract(month FROM d), extract(day FROM d), extract(week FROM d), extract(isodow FROM d),
       date_trunc('month', d)::date, date_trunc('quarter', d)::date, extract(isodow FROM d) >= 6
FROM (SELECT DISTINCT send_date AS d FROM t_pit WHERE fk_rule IS NULL) x
ON CONFLICT DO NOTHING;

INSERT INTO dw.fact_traffic (send_date, account_id, customer_id, channel_id, customer_sk, date_key,
                             interactions_count, revenue_eur, run_id)
SELECT t.send_date, t.account_id, t.customer_id, t.channel_id, t.customer_sk,
       to_char(t.send_date, 'YYYYMMDD')::int, t.interactions_count, t.revenue_eur, run.run_id
FROM t_pit t, run WHERE t.fk_rule IS NULL
ON CONFLICT (send_date, account_id, customer_id, channel_id) DO UPDATE
SET customer_sk = excluded.customer_sk, interactions_count = excluded.interactions_count,
    revenue_eur = excluded.revenue_eur, run_id = excluded.run_id;

UPDATE lz.run_counts r
SET loaded = x.loaded, pending = x.pending
FROM run, (
  SELECT 'sales' AS entity, count(*) FILTER (WHERE fk_rule IS NULL) AS loaded,
         count(*) FILTER (WHERE fk_rule IS NOT NULL) AS pending
  FROM s_pit WHERE NOT retry
  UNION ALL
  SELECT 'traffic', count(*) FILTER (WHERE fk_rule IS NULL), count(*) FILTER (WHERE fk_rule IS NOT NULL)
  FROM t_pit WHERE NOT retry) x
WHERE r.run_id = run.run_id AND r.entity = x.entity;
ANALYZE dw.fact_sales;
ANALYZE dw.fact_traffic;
