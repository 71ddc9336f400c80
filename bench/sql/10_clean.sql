-- (b) step 1, one transaction: type, clean and validate the landed rows of ${run_date} (SPEC §2),
-- quarantine the failures to dq.rejected_rows with their rule, and deduplicate. Typed survivors go
-- to session temp tables (c_ok, p_ok, ch_ok, s_ok, t_ok) for 20_dimensions and 30_facts.
-- Each row gets the first rule it fails: not_null, then type, then accepted_values, then business.
SET TIME ZONE 'UTC';
INSERT INTO ops.pipeline_runs (pipeline, run_date, as_of, runner)
VALUES ('bench_sql', ${run_date}, ${run_date}, 'plain SQL');
CREATE TEMP TABLE run AS
SELECT max(run_id) AS run_id, ${run_date}::date AS d FROM ops.pipeline_runs WHERE pipeline = 'bench_sql';

-- ---------------------------------------------------------------- customers
CREATE TEMP TABLE c1 AS
SELECT x.*, a.val AS segment,
  CASE WHEN customer_id IS NULL THEN 'not_null:customer_id'
       WHEN name IS NULL THEN 'not_null:name'
       WHEN email IS NOT NULL AND NOT lz.is_email(email) THEN 'type:email'
       WHEN created_date IS NOT NULL AND NOT lz.is_date(created_date) THEN 'type:created_date'
       WHEN updated_at IS NOT NULL AND NOT lz.is_ts(updated_at) THEN 'type:updated_at'
       WHEN segment_raw IS NOT NULL AND a.val IS NULL THEN 'accepted_values:segment'
  END AS rule
FROM (
  SELECT r.source_file, r.row_no,
         r.row_no - min(r.row_no) OVER (PARTITION BY r.source_file) + 2 AS line_no,
         lz.id(r.customer_id) AS customer_id, lz.id(r.account_id) AS account_id,
         lz.name(r.name) AS name, lower(lz.str(r.email)) AS email,
         lz.name(r.city) AS city,
         CASE WHEN length(lz.str(r.country)) = 2 THEN upper(lz.str(r.country)) ELSE lz.str(r.country) END AS country,
         lz.str(r.segment) AS segment_raw, lz.str(r.industry) AS industry,
         lz.str(r.created_date) AS created_date, lz.str(r.updated_at) AS updated_at
  FROM lz.customers r) x
LEFT JOIN lz.accepted a ON a.col = 'segment' AND a.akey = lz.akey(x.segment_raw);

-- Natural key + updated_at is a version; a repeated version: the later line wins (row_no order).
CREATE TEMP TABLE c_ok AS
SELECT * FROM (
  SELECT c.row_no, c.customer_id, c.account_id, c.name, c.email, c.city, c.country, c.segment,
         c.industry, c.created_date::date AS created_date,
         coalesce(lz.ts(c.updated_at), run.d::timestamptz) AS valid_from,
         row_number() OVER (PARTITION BY c.customer_id, coalesce(lz.ts(c.updated_at), run.d::timestamptz)
                            ORDER BY c.row_no DESC) AS rn
  FROM c1 c, run WHERE c.rule IS NULL) v;

-- ---------------------------------------------------------------- products
CREATE TEMP TABLE p1 AS
SELECT x.*, a.val AS category,
  CASE WHEN product_id IS NULL THEN 'not_null:product_id'
       WHEN product_name IS NULL THEN 'not_null:product_name'
       WHEN category_raw IS NULL THEN 'not_null:category'
       WHEN list_price IS NOT NULL AND NOT lz.is_dec(list_price) THEN 'type:list_price'
       WHEN updated_at IS NOT NULL AND NOT lz.is_ts(updated_at) THEN 'type:updated_at'
       WHEN a.val IS NULL THEN 'accepted_values:category'
  END AS rule
FROM (
  SELECT r.source_file, r.row_no,
         r.row_no - min(r.row_no) OVER (PARTITION BY r.source_file) + 2 AS line_no,
         lz.id(r.product_id) AS product_id, lz.name(r.product_name) AS product_name,
         lz.str(r.category) AS category_raw, lz.str(r.brand) AS brand,
         lz.str(r.list_price) AS list_price, lz.str(r.updated_at) AS updated_at
  FROM lz.products r) x
LEFT JOIN lz.accepted a ON a.col = 'category' AND a.akey = lz.akey(x.category_raw);

CREATE TEMP TABLE p_ok AS
SELECT * FROM (
  SELECT p.row_no, p.product_id, p.product_name, p.category, p.brand,
         round(p.list_price::numeric, 4) AS list_price,
         coalesce(lz.ts(p.updated_at), run.d::timestamptz) AS valid_from,
         row_number() OVER (PARTITION BY p.product_id, coalesce(lz.ts(p.updated_at), run.d::timestamptz)
                            ORDER BY p.row_no DESC) AS rn
  FROM p1 p, run WHERE p.rule IS NULL) v;

-- ---------------------------------------------------------------- channels
CREATE TEMP TABLE ch1 AS
SELECT x.*,
  CASE WHEN channel_id IS NULL THEN 'not_null:channel_id'
       WHEN channel_name IS NULL THEN 'not_null:channel_name'
       WHEN unit_price_eur IS NOT NULL AND NOT lz.is_dec(unit_price_eur) THEN 'type:unit_price_eur'
  END AS rule
FROM (
  SELECT r.source_file, r.row_no,
         r.row_no - min(r.row_no) OVER (PARTITION BY r.source_file) + 2 AS line_no,
         lz.id(r.channel_id) AS channel_id, lz.name(r.channel_name) AS channel_name,
         lz.str(r.channel_type) AS channel_type, lz.str(r.unit_price_eur) AS unit_price_eur
  FROM lz.channels r) x;

CREATE TEMP TABLE ch_ok AS
SELECT * FROM (
  SELECT row_no, channel_id, channel_name, channel_type,
         round(unit_price_eur::numeric, 6) AS unit_price_eur,
         row_number() OVER (PARTITION BY channel_id ORDER BY row_no DESC) AS rn
  FROM ch1 WHERE rule IS NULL) v;

-- ---------------------------------------------------------------- sales
-- Today's rows, plus the rows still pending from earlier runs (retried; they lose to any row of
-- today with the same transaction_id).
CREATE TEMP TABLE s0 AS
SELECT false AS retry, r.source_file, r.row_no,
       r.row_no - min(r.row_no) OVER (PARTITION BY r.source_file) + 2 AS line_no,
       r.transaction_id, r.order_id, r.customer_id, r.product_id, r.shop_id, r.quantity,
       r.unit_price, r.amount, r.status, r.transaction_ts
FROM lz.sales r
UNION ALL
SELECT true, p.source_file, -row_number() OVER (ORDER BY p.first_run_id DESC, p.natural_key),
       p.line_no, r.transaction_id, r.order_id, r.customer_id, r.product_id, r.shop_id, r.quantity,
       r.unit_price, r.amount, r.status, r.transaction_ts
FROM dq.pending_rows p, jsonb_populate_record(NULL::lz.sales, p.record) r
WHERE p.entity = 'sales';

CREATE TEMP TABLE s1 AS
SELECT x.*, a.val AS status,
  CASE WHEN transaction_id IS NULL THEN 'not_null:transaction_id'
       WHEN customer_id IS NULL THEN 'not_null:customer_id'
       WHEN quantity IS NULL THEN 'not_null:quantity'
       WHEN transaction_ts IS NULL THEN 'not_null:transaction_ts'
       WHEN NOT lz.is_int(quantity) THEN 'type:quantity'
       WHEN unit_price IS NOT NULL AND NOT lz.is_dec(unit_price) THEN 'type:unit_price'
       WHEN amount IS NOT NULL AND NOT lz.is_dec(amount) THEN 'type:amount'
       WHEN NOT lz.is_ts(transaction_ts) THEN 'type:transaction_ts'
       WHEN a.val IS NULL THEN 'accepted_values:status'
       WHEN amount IS NULL AND unit_price IS NULL THEN 'not_null:amount'
  END AS rule
FROM (
  SELECT s.retry, s.source_file, s.row_no, s.line_no,
         lz.id(s.transaction_id) AS transaction_id, lz.id(s.order_id) AS order_id,
         lz.id(s.customer_id) AS customer_id, lz.id(s.product_id) AS product_id,
         lz.id(s.shop_id) AS shop_id, lz.str(s.quantity) AS quantity,
         lz.str(s.unit_price) AS unit_price, lz.str(s.amount) AS amount,
         coalesce(lz.str(s.status), 'completed') AS status_raw,
         lz.str(s.transaction_ts) AS transaction_ts
  FROM s0 s) x
LEFT JOIN lz.accepted a ON a.col = 'status' AND a.akey = lz.akey(x.status_raw);

CREATE TEMP TABLE s2 AS
SELECT t.*,
  CASE WHEN t.status = 'completed' AND (t.quantity <= 0 OR t.amount < 0) THEN 'business:negative_amount'
       WHEN t.status = 'returned' AND t.amount > 0 THEN 'business:negative_amount'
       WHEN t.transaction_ts > (run.d + 2)::timestamptz THEN 'business:future_date'
       WHEN NOT t.amount_imputed AND t.unit_price IS NOT NULL
            AND abs(t.amount - t.quantity * t.unit_price) > 0.01 * greatest(1, abs(t.amount))
         THEN 'business:amount_mismatch'
  END AS rule
FROM (
  SELECT s.retry, s.source_file, s.row_no, s.line_no, s.transaction_id, s.order_id,
         s.customer_id, s.product_id, s.shop_id,
         regexp_replace(s.quantity, '\.0*$', '')::bigint AS quantity,
         round(s.unit_price::numeric, 4) AS unit_price,
         coalesce(round(s.amount::numeric, 4),
                  round(regexp_replace(s.quantity, '\.0*$', '')::bigint * s.unit_price::numeric, 4)) AS amount,
         s.amount IS NULL AS amount_imputed,
         s.status, lz.ts(s.transaction_ts) AS transaction_ts
  FROM s1 s WHERE s.rule IS NULL) t, run;

-- Same transaction_id in one run: the later file, then the later line, wins (identical rows too).
CREATE TEMP TABLE s_ok AS
SELECT * FROM (
  SELECT s.*, row_number() OVER (PARTITION BY transaction_id ORDER BY row_no DESC) AS rn
  FROM s2 s WHERE s.rule IS NULL) v;

-- ---------------------------------------------------------------- traffic
CREATE TEMP TABLE t0 AS
SELECT false AS retry, r.source_file, r.row_no,
       r.row_no - min(r.row_no) OVER (PARTITION BY r.source_file) + 2 AS line_no,
       r.send_date, r.account_id, r.customer_id, r.channel_id, r.interactions_count, r.revenue_eur
FROM lz.traffic r
UNION ALL
SELECT true, p.source_file, -row_number() OVER (ORDER BY p.first_run_id DESC, p.natural_key),
       p.line_no, r.send_date, r.account_id, r.customer_id, r.channel_id, r.interactions_count,
       r.revenue_eur
FROM dq.pending_rows p, jsonb_populate_record(NULL::lz.traffic, p.record) r
WHERE p.entity = 'traffic';

CREATE TEMP TABLE t1 AS
SELECT x.*,
  CASE WHEN send_date IS NULL THEN 'not_null:send_date'
       WHEN customer_id IS NULL THEN 'not_null:customer_id'
       WHEN channel_id IS NULL THEN 'not_null:channel_id'
       WHEN interactions_count IS NULL THEN 'not_null:interactions_count'
       WHEN revenue_eur IS NULL THEN 'not_null:revenue_eur'
       WHEN NOT lz.is_date(send_date) THEN 'type:send_date'
       WHEN NOT lz.is_int(interactions_count) THEN 'type:interactions_count'
       WHEN NOT lz.is_dec(revenue_eur) THEN 'type:revenue_eur'
  END AS rule
FROM (
  SELECT t.retry, t.source_file, t.row_no, t.line_no,
         lz.str(t.send_date) AS send_date, coalesce(lz.id(t.account_id), '') AS account_id,
         lz.id(t.customer_id) AS customer_id, lz.id(t.channel_id) AS channel_id,
         lz.str(t.interactions_count) AS interactions_count, lz.str(t.revenue_eur) AS revenue_eur
  FROM t0 t) x;

CREATE TEMP TABLE t_ok AS
SELECT * FROM (
  SELECT t.retry, t.source_file, t.row_no, t.line_no, t.send_date::date AS send_date,
         t.account_id, t.customer_id, t.channel_id,
         regexp_replace(t.interactions_count, '\.0*$', '')::bigint AS interactions_count,
         round(t.revenue_eur::numeric, 4) AS revenue_eur,
         row_number() OVER (PARTITION BY t.send_date::date, t.account_id, t.customer_id, t.channel_id
                            ORDER BY t.row_no DESC) AS rn
  FROM t1 t WHERE t.rule IS NULL) v;

-- ---------------------------------------------------------------- quarantine
-- the original record as JSON, for the quarantined rows only (joined back by row_no)
INSERT INTO dq.rejected_rows (run_id, entity, source_file, line_no, rule, message, record)
SELECT run.run_id, q.entity, q.source_file, q.line_no, q.rule,
       format('%s: line %s of %s', q.rule, q.line_no, q.source_file), q.record
FROM run, (
  SELECT 'customers' AS entity, q.source_file, q.line_no, q.rule, to_jsonb(r) - 'row_no' - 'source_file' AS record
  FROM c1 q JOIN lz.customers r USING (row_no) WHERE q.rule IS NOT NULL
  UNION ALL SELECT 'products', q.source_file, q.line_no, q.rule, to_jsonb(r) - 'row_no' - 'source_file'
  FROM p1 q JOIN lz.products r USING (row_no) WHERE q.rule IS NOT NULL
  UNION ALL SELECT 'channels', q.source_file, q.line_no, q.rule, to_jsonb(r) - 'row_no' - 'source_file'
  FROM ch1 q JOIN lz.channels r USING (row_no) WHERE q.rule IS NOT NULL
  UNION ALL SELECT 'sales', q.source_file, q.line_no, q.rule, to_jsonb(r) - 'row_no' - 'source_file' - 'retry' - 'line_no'
  FROM (SELECT row_no, source_file, line_no, rule FROM s1 WHERE rule IS NOT NULL
        UNION ALL SELECT row_no, source_file, line_no, rule FROM s2 WHERE rule IS NOT NULL) q
  JOIN s0 r USING (row_no)
  UNION ALL SELECT 'traffic', q.source_file, q.line_no, q.rule, to_jsonb(r) - 'row_no' - 'source_file' - 'retry' - 'line_no'
  FROM t1 q JOIN t0 r USING (row_no) WHERE q.rule IS NOT NULL
) q
ON CONFLICT DO NOTHING;
-- A pending row that now fails a rule leaves dq.pending_rows (it is in dq.rejected_rows).
DELETE FROM dq.pending_rows p USING (
  SELECT 'sales' AS entity, transaction_id AS k FROM s1 WHERE retry AND rule IS NOT NULL
  UNION ALL SELECT 'sales', transaction_id FROM s2 WHERE retry AND rule IS NOT NULL) x
WHERE p.entity = x.entity AND p.natural_key = x.k;

INSERT INTO lz.run_counts (run_id, entity, read, quarantined, deduplicated)
SELECT run.run_id, e.entity, e.read, e.quarantined, e.dedup FROM run, (
  SELECT 'customers' AS entity, (SELECT count(*) FROM c1) AS read,
         (SELECT count(*) FROM c1 WHERE rule IS NOT NULL) AS quarantined,
         (SELECT count(*) FROM c_ok WHERE rn > 1) AS dedup
  UNION ALL SELECT 'products', (SELECT count(*) FROM p1), (SELECT count(*) FROM p1 WHERE rule IS NOT NULL),
         (SELECT count(*) FROM p_ok WHERE rn > 1)
  UNION ALL SELECT 'channels', (SELECT count(*) FROM ch1), (SELECT count(*) FROM ch1 WHERE rule IS NOT NULL),
         (SELECT count(*) FROM ch_ok WHERE rn > 1)
  UNION ALL SELECT 'sales', (SELECT count(*) FROM s1 WHERE NOT retry),
         (SELECT count(*) FROM s1 WHERE NOT retry AND rule IS NOT NULL)
           + (SELECT count(*) FROM s2 WHERE NOT retry AND rule IS NOT NULL),
         (SELECT count(*) FROM s_ok WHERE NOT retry AND rn > 1)
  UNION ALL SELECT 'traffic', (SELECT count(*) FROM t1 WHERE NOT retry),
         (SELECT count(*) FROM t1 WHERE NOT retry AND rule IS NOT NULL),
         (SELECT count(*) FROM t_ok WHERE NOT retry AND rn > 1)) e
WHERE e.read > 0;
