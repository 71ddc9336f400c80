-- (b) step 4, one transaction (a reader sees the old or the new marts, never a mix): every mart of
-- SPEC §4 for as_of = ${run_date}, DELETE + INSERT … SELECT in plain SQL. The SELECTs are the
-- project's independent plain-SQL reference of SPEC §4 (transforms/src/test/resources/
-- kpi_reference/*.sql, the queries the KPI tests compare c360's marts with), copied here once with
-- :as_of and :tz substituted, so (b) computes the same marts with the same definitions.

-- ---------------------------------------------------------------- customer_ytd_spending
-- customer_ytd_spending: per customer of the population, revenue in [1 Jan year(D), D].
DELETE FROM mart.customer_ytd_spending WHERE as_of = ${run_date};
INSERT INTO mart.customer_ytd_spending
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
-- the version valid at the last instant of D (valid_from < D+1 00:00 in tz <= valid_to)
v_at_d AS (
  SELECT c.* FROM dw.dim_customer c, p
  WHERE c.valid_from < ((p.d + 1)::timestamp AT TIME ZONE p.tz)
    AND c.valid_to >= ((p.d + 1)::timestamp AT TIME ZONE p.tz)),
-- population: live at D, or any sale <= D (cancelled included)
pop AS (
  SELECT customer_id FROM v_at_d WHERE NOT is_deleted
  UNION
  SELECT s.customer_id FROM dw.fact_sales s, p WHERE s.sales_date <= p.d)
SELECT p.d AS as_of, pop.customer_id,
       round(coalesce(sum(s.amount), 0), 4) AS ytd_spending
FROM p CROSS JOIN pop
LEFT JOIN dw.fact_sales s
  ON s.customer_id = pop.customer_id AND s.status IN ('completed', 'returned')
 AND s.sales_date >= date_trunc('year', p.d)::date AND s.sales_date <= p.d
GROUP BY p.d, pop.customer_id;

-- ---------------------------------------------------------------- customer_days_since_last_purchase
-- customer_days_since_last_purchase: last COMPLETED sale <= D and D minus it; null if none.
DELETE FROM mart.customer_days_since_last_purchase WHERE as_of = ${run_date};
INSERT INTO mart.customer_days_since_last_purchase
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
-- the version valid at the last instant of D (valid_from < D+1 00:00 in tz <= valid_to)
v_at_d AS (
  SELECT c.* FROM dw.dim_customer c, p
  WHERE c.valid_from < ((p.d + 1)::timestamp AT TIME ZONE p.tz)
    AND c.valid_to >= ((p.d + 1)::timestamp AT TIME ZONE p.tz)),
-- population: live at D, or any sale <= D (cancelled included)
pop AS (
  SELECT customer_id FROM v_at_d WHERE NOT is_deleted
  UNION
  SELECT s.customer_id FROM dw.fact_sales s, p WHERE s.sales_date <= p.d)
SELECT p.d AS as_of, pop.customer_id, max(s.sales_date) AS last_purchase_date,
       p.d - max(s.sales_date) AS days_since_last_purchase
FROM p CROSS JOIN pop
LEFT JOIN dw.fact_sales s
  ON s.customer_id = pop.customer_id AND s.status = 'completed' AND s.sales_date <= p.d
GROUP BY p.d, pop.customer_id;

-- ---------------------------------------------------------------- customer_revenue_by_period
-- customer_revenue_by_period: mtd [1st of month(D), D]; previous full month; previous full
-- quarter; the quarter before it; ytd; qoq % = 100 (lq - qb) / qb, null when qb = 0.
DELETE FROM mart.customer_revenue_by_period WHERE as_of = ${run_date};
INSERT INTO mart.customer_revenue_by_period
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
-- the version valid at the last instant of D (valid_from < D+1 00:00 in tz <= valid_to)
v_at_d AS (
  SELECT c.* FROM dw.dim_customer c, p
  WHERE c.valid_from < ((p.d + 1)::timestamp AT TIME ZONE p.tz)
    AND c.valid_to >= ((p.d + 1)::timestamp AT TIME ZONE p.tz)),
-- population: live at D, or any sale <= D (cancelled included)
pop AS (
  SELECT customer_id FROM v_at_d WHERE NOT is_deleted
  UNION
  SELECT s.customer_id FROM dw.fact_sales s, p WHERE s.sales_date <= p.d),
b AS (SELECT d, date_trunc('month', d)::date AS m0, date_trunc('quarter', d)::date AS q0,
             date_trunc('year', d)::date AS y0 FROM p),
agg AS (
  SELECT b.d, pop.customer_id,
    coalesce(sum(s.amount) FILTER (WHERE s.sales_date BETWEEN b.m0 AND b.d), 0) AS mtd,
    coalesce(sum(s.amount) FILTER (
      WHERE s.sales_date BETWEEN (b.m0 - interval '1 month')::date AND b.m0 - 1), 0) AS lm,
    coalesce(sum(s.amount) FILTER (
      WHERE s.sales_date BETWEEN (b.q0 - interval '3 months')::date AND b.q0 - 1), 0) AS lq,
    coalesce(sum(s.amount) FILTER (
      WHERE s.sales_date BETWEEN (b.q0 - interval '6 months')::date
                             AND (b.q0 - interval '3 months')::date - 1), 0) AS qb,
    coalesce(sum(s.amount) FILTER (WHERE s.sales_date BETWEEN b.y0 AND b.d), 0) AS ytd
  FROM b CROSS JOIN pop
  LEFT JOIN dw.fact_sales s
    ON s.customer_id = pop.customer_id AND s.status IN ('completed', 'returned')
   AND s.sales_date <= b.d
  GROUP BY b.d, pop.customer_id)
SELECT d AS as_of, customer_id, round(mtd, 4), round(lm, 4), round(lq, 4), round(qb, 4),
       round(ytd, 4), CASE WHEN qb = 0 THEN NULL ELSE round(100 * (lq - qb) / qb, 4) END
FROM agg;

-- ---------------------------------------------------------------- customer_360
-- customer_360: attributes of the version valid at D (else the key's first version); first/last
-- COMPLETED sale <= D; orders = distinct coalesce(order_id, transaction_id) of completed sales;
-- lifetime revenue <= D; avg_order_value = lifetime / orders; revenue per category of the product
-- version AT SALE TIME; 'new' if the first purchase is in [D - 29, D]; churn 'high' (none or
-- > 90 days), 'medium' (> 30), else 'low'.
DELETE FROM mart.customer_360 WHERE as_of = ${run_date};
INSERT INTO mart.customer_360
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
-- the version valid at the last instant of D (valid_from < D+1 00:00 in tz <= valid_to)
v_at_d AS (
  SELECT c.* FROM dw.dim_customer c, p
  WHERE c.valid_from < ((p.d + 1)::timestamp AT TIME ZONE p.tz)
    AND c.valid_to >= ((p.d + 1)::timestamp AT TIME ZONE p.tz)),
-- population: live at D, or any sale <= D (cancelled included)
pop AS (
  SELECT customer_id FROM v_at_d WHERE NOT is_deleted
  UNION
  SELECT s.customer_id FROM dw.fact_sales s, p WHERE s.sales_date <= p.d),
attrs AS (
  SELECT pop.customer_id, coalesce(v.customer_sk, f.customer_sk) AS sk
  FROM pop
  LEFT JOIN v_at_d v ON v.customer_id = pop.customer_id
  LEFT JOIN LATERAL (SELECT x.customer_sk FROM dw.dim_customer x
                     WHERE x.customer_id = pop.customer_id
                     ORDER BY x.valid_from LIMIT 1) f ON true),
s AS (
  SELECT s.*, pr.category, s.status IN ('completed', 'returned') AS rev
  FROM dw.fact_sales s JOIN p ON s.sales_date <= p.d
  LEFT JOIN dw.dim_product pr ON pr.product_sk = s.product_sk),
agg AS (
  SELECT customer_id,
    min(sales_date) FILTER (WHERE status = 'completed') AS first_p,
    max(sales_date) FILTER (WHERE status = 'completed') AS last_p,
    count(DISTINCT coalesce(order_id, transaction_id)) FILTER (WHERE status = 'completed') AS orders,
    coalesce(sum(amount) FILTER (WHERE rev), 0) AS lifetime,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Apps & Games'), 0) AS c1,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Beauty'), 0) AS c2,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Books'), 0) AS c3,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Clothing Shoes & Accessories'), 0) AS c4,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Kitchen'), 0) AS c5,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Movies & TV'), 0) AS c6,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Sports Fitness & Outdoors'), 0) AS c7
  FROM s GROUP BY customer_id)
SELECT p.d AS as_of, a.customer_id, c.account_id, c.name, c.email, c.city, c.country, c.segment,
       c.industry, c.created_date, g.first_p, g.last_p, coalesce(g.orders, 0),
       round(coalesce(g.lifetime, 0), 4),
       CASE WHEN coalesce(g.orders, 0) = 0 THEN NULL ELSE round(g.lifetime / g.orders, 4) END,
       round(coalesce(g.c1, 0), 4), round(coalesce(g.c2, 0), 4), round(coalesce(g.c3, 0), 4),
       round(coalesce(g.c4, 0), 4), round(coalesce(g.c5, 0), 4), round(coalesce(g.c6, 0), 4),
       round(coalesce(g.c7, 0), 4),
       CASE WHEN g.first_p BETWEEN p.d - 29 AND p.d THEN 'new' ELSE 'returning' END,
       CASE WHEN g.last_p IS NULL OR p.d - g.last_p > 90 THEN 'high'
            WHEN p.d - g.last_p > 30 THEN 'medium' ELSE 'low' END
FROM p CROSS JOIN attrs a
JOIN dw.dim_customer c ON c.customer_sk = a.sk
LEFT JOIN agg g ON g.customer_id = a.customer_id;

-- ---------------------------------------------------------------- industry_exposure
-- industry_exposure: revenue in (D - 12 months, D] by industry of the customer version AT SALE
-- TIME (null -> 'Unknown'); share of the total (null if total = 0); rank by revenue desc, then
-- industry in code-point order.
DELETE FROM mart.industry_exposure WHERE as_of = ${run_date};
INSERT INTO mart.industry_exposure
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
g AS (
  SELECT coalesce(c.industry, 'Unknown') AS industry, sum(s.amount) AS revenue
  FROM dw.fact_sales s JOIN p ON s.sales_date > p.d - interval '12 months' AND s.sales_date <= p.d
  JOIN dw.dim_customer c ON c.customer_sk = s.customer_sk
  WHERE s.status IN ('completed', 'returned')
  GROUP BY 1),
t AS (SELECT sum(revenue) AS total FROM g)
SELECT p.d AS as_of, g.industry, round(g.revenue, 4),
       CASE WHEN t.total = 0 THEN NULL ELSE round(g.revenue / t.total, 6) END,
       row_number() OVER (ORDER BY g.revenue DESC, g.industry COLLATE "C")
FROM g, t, p;

-- ---------------------------------------------------------------- segment_share
-- segment_share: customers whose version valid at D is not deleted, by segment (null ->
-- 'Unknown'); share_pct = 100 * customers / total.
DELETE FROM mart.segment_share WHERE as_of = ${run_date};
INSERT INTO mart.segment_share
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
-- the version valid at the last instant of D (valid_from < D+1 00:00 in tz <= valid_to)
v_at_d AS (
  SELECT c.* FROM dw.dim_customer c, p
  WHERE c.valid_from < ((p.d + 1)::timestamp AT TIME ZONE p.tz)
    AND c.valid_to >= ((p.d + 1)::timestamp AT TIME ZONE p.tz)),
-- population: live at D, or any sale <= D (cancelled included)
pop AS (
  SELECT customer_id FROM v_at_d WHERE NOT is_deleted
  UNION
  SELECT s.customer_id FROM dw.fact_sales s, p WHERE s.sales_date <= p.d)
SELECT p.d AS as_of, coalesce(v.segment, 'Unknown'), count(*),
       round(100.0 * count(*) / sum(count(*)) OVER (), 4)
FROM v_at_d v, p
WHERE NOT v.is_deleted
GROUP BY p.d, coalesce(v.segment, 'Unknown');

-- ---------------------------------------------------------------- segment_changes_12m
-- segment_changes_12m: versions whose valid_from date (in tz) is in (D - 12 months, D] and whose
-- segment IS DISTINCT FROM the previous version's of the same key; first versions and tombstones
-- are not changes.
DELETE FROM mart.segment_changes_12m WHERE as_of = ${run_date};
INSERT INTO mart.segment_changes_12m
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
h AS (
  SELECT customer_id, valid_from, segment, is_deleted,
         lag(segment) OVER (PARTITION BY customer_id ORDER BY valid_from) AS prev_segment,
         row_number() OVER (PARTITION BY customer_id ORDER BY valid_from) AS rn
  FROM dw.dim_customer)
SELECT p.d AS as_of, h.customer_id, (h.valid_from AT TIME ZONE p.tz)::date, h.valid_from,
       h.prev_segment, h.segment
FROM h, p
WHERE h.rn > 1 AND NOT h.is_deleted AND h.segment IS DISTINCT FROM h.prev_segment
  AND (h.valid_from AT TIME ZONE p.tz)::date > p.d - interval '12 months'
  AND (h.valid_from AT TIME ZONE p.tz)::date <= p.d;

-- ---------------------------------------------------------------- top_customers
-- top_customers: customers with >= 1 revenue-counting sale in (D - 12 months, D], top 20 by that
-- revenue, ties by customer_id (code-point order).
DELETE FROM mart.top_customers WHERE as_of = ${run_date};
INSERT INTO mart.top_customers
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
w AS (
  SELECT s.customer_id, sum(s.amount) AS revenue
  FROM dw.fact_sales s JOIN p ON s.sales_date > p.d - interval '12 months' AND s.sales_date <= p.d
  WHERE s.status IN ('completed', 'returned')
  GROUP BY s.customer_id),
r AS (
  SELECT customer_id, revenue,
         row_number() OVER (ORDER BY revenue DESC, customer_id COLLATE "C") AS rk
  FROM w)
SELECT p.d AS as_of, r.rk, r.customer_id, round(r.revenue, 4)
FROM r, p WHERE r.rk <= 20;

-- ---------------------------------------------------------------- consistent_top_customers
-- consistent_top_customers: the top ceil(10% of n) of the top_customers ranking (n = customers
-- with a revenue-counting sale in the window) with revenue > 0 in each of the 12 full calendar
-- months before month(D); rank = position in that ranking.
DELETE FROM mart.consistent_top_customers WHERE as_of = ${run_date};
INSERT INTO mart.consistent_top_customers
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
w AS (
  SELECT s.customer_id, sum(s.amount) AS revenue
  FROM dw.fact_sales s JOIN p ON s.sales_date > p.d - interval '12 months' AND s.sales_date <= p.d
  WHERE s.status IN ('completed', 'returned')
  GROUP BY s.customer_id),
r AS (
  SELECT customer_id, revenue,
         row_number() OVER (ORDER BY revenue DESC, customer_id COLLATE "C") AS rk
  FROM w),
n AS (SELECT count(*) AS n FROM w),
m AS (
  SELECT s.customer_id, date_trunc('month', s.sales_date) AS month, sum(s.amount) AS revenue
  FROM dw.fact_sales s JOIN p
    ON s.sales_date >= (date_trunc('month', p.d) - interval '12 months')::date
   AND s.sales_date < date_trunc('month', p.d)::date
  WHERE s.status IN ('completed', 'returned')
  GROUP BY 1, 2),
ok AS (SELECT customer_id FROM m WHERE revenue > 0 GROUP BY customer_id HAVING count(*) = 12)
SELECT p.d AS as_of, r.customer_id, round(r.revenue, 4), r.rk
FROM r, n, p
WHERE r.rk <= ceil(n.n / 10.0) AND r.customer_id IN (SELECT customer_id FROM ok);

-- ---------------------------------------------------------------- numeric_stats
-- numeric_stats: 'sales_amount' and 'sales_quantity' over revenue-counting sales in
-- (D - 12 months, D]; 'customer_revenue_12m' over the per-customer revenue of the top_customers
-- population. Sample stddev; median/q1/q3 = percentile_cont; 6 decimals (min/max 4).
DELETE FROM mart.numeric_stats WHERE as_of = ${run_date};
INSERT INTO mart.numeric_stats
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
w AS (
  SELECT s.customer_id, s.amount, s.quantity
  FROM dw.fact_sales s JOIN p ON s.sales_date > p.d - interval '12 months' AND s.sales_date <= p.d
  WHERE s.status IN ('completed', 'returned')),
c AS (SELECT customer_id, sum(amount) AS revenue FROM w GROUP BY customer_id),
x AS (
  SELECT 'sales_amount' AS metric, amount AS v FROM w
  UNION ALL SELECT 'sales_quantity', quantity::numeric FROM w
  UNION ALL SELECT 'customer_revenue_12m', revenue FROM c),
metrics AS (
  SELECT unnest(ARRAY['sales_amount', 'sales_quantity', 'customer_revenue_12m']) AS metric)
SELECT p.d AS as_of, m.metric, count(x.v), round(min(x.v), 4), round(max(x.v), 4),
       round(avg(x.v), 6),
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY x.v::float8))::numeric, 6),
       round(stddev_samp(x.v), 6),
       round((percentile_cont(0.25) WITHIN GROUP (ORDER BY x.v::float8))::numeric, 6),
       round((percentile_cont(0.75) WITHIN GROUP (ORDER BY x.v::float8))::numeric, 6)
FROM p CROSS JOIN metrics m
LEFT JOIN x ON x.metric = m.metric
GROUP BY p.d, m.metric;

-- ---------------------------------------------------------------- customer_value_band
-- customer_value_band: for the top_customers population, 'Low' if revenue_12m < Q1, 'High' if
-- > Q3, else 'Mid' (Q1/Q3 of customer_revenue_12m as numeric_stats reports them).
DELETE FROM mart.customer_value_band WHERE as_of = ${run_date};
INSERT INTO mart.customer_value_band
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
c AS (
  SELECT s.customer_id, sum(s.amount) AS revenue
  FROM dw.fact_sales s JOIN p ON s.sales_date > p.d - interval '12 months' AND s.sales_date <= p.d
  WHERE s.status IN ('completed', 'returned')
  GROUP BY s.customer_id),
q AS (
  SELECT round((percentile_cont(0.25) WITHIN GROUP (ORDER BY revenue::float8))::numeric, 6) AS q1,
         round((percentile_cont(0.75) WITHIN GROUP (ORDER BY revenue::float8))::numeric, 6) AS q3
  FROM c)
SELECT p.d AS as_of, c.customer_id, round(c.revenue, 4),
       CASE WHEN c.revenue < q.q1 THEN 'Low' WHEN c.revenue > q.q3 THEN 'High' ELSE 'Mid' END
FROM c, q, p;

-- ---------------------------------------------------------------- daily_sales
-- daily_sales: each sales_date in (D - 12 months, D] with any sale (any status): revenue; distinct
-- coalesce(order_id, transaction_id), distinct customers and units of completed sales.
DELETE FROM mart.daily_sales WHERE as_of = ${run_date};
INSERT INTO mart.daily_sales
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz)
SELECT p.d AS as_of, s.sales_date,
       round(coalesce(sum(s.amount) FILTER (WHERE s.status IN ('completed', 'returned')), 0), 4),
       count(DISTINCT coalesce(s.order_id, s.transaction_id)) FILTER (WHERE s.status = 'completed'),
       count(DISTINCT s.customer_id) FILTER (WHERE s.status = 'completed'),
       coalesce(sum(s.quantity) FILTER (WHERE s.status = 'completed'), 0)
FROM dw.fact_sales s JOIN p ON s.sales_date > p.d - interval '12 months' AND s.sales_date <= p.d
GROUP BY p.d, s.sales_date;

-- ---------------------------------------------------------------- monthly_sales
-- monthly_sales: as daily_sales per calendar month (first day) for the 12 months ending with
-- month(D), the current month up to D; months with any sale.
DELETE FROM mart.monthly_sales WHERE as_of = ${run_date};
INSERT INTO mart.monthly_sales
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz)
SELECT p.d AS as_of, date_trunc('month', s.sales_date)::date,
       round(coalesce(sum(s.amount) FILTER (WHERE s.status IN ('completed', 'returned')), 0), 4),
       count(DISTINCT coalesce(s.order_id, s.transaction_id)) FILTER (WHERE s.status = 'completed'),
       count(DISTINCT s.customer_id) FILTER (WHERE s.status = 'completed'),
       coalesce(sum(s.quantity) FILTER (WHERE s.status = 'completed'), 0)
FROM dw.fact_sales s JOIN p
  ON s.sales_date >= (date_trunc('month', p.d) - interval '11 months')::date
 AND s.sales_date <= p.d
GROUP BY p.d, date_trunc('month', s.sales_date)::date;

-- ---------------------------------------------------------------- product_performance
-- product_performance: over (D - 12 months, D], per product_id and category of the product
-- version at sale time (sales without product excluded): revenue; units and distinct orders of
-- completed sales.
DELETE FROM mart.product_performance WHERE as_of = ${run_date};
INSERT INTO mart.product_performance
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz)
SELECT p.d AS as_of, s.product_id, pr.category,
       round(coalesce(sum(s.amount) FILTER (WHERE s.status IN ('completed', 'returned')), 0), 4),
       coalesce(sum(s.quantity) FILTER (WHERE s.status = 'completed'), 0),
       count(DISTINCT coalesce(s.order_id, s.transaction_id)) FILTER (WHERE s.status = 'completed')
FROM dw.fact_sales s JOIN p ON s.sales_date > p.d - interval '12 months' AND s.sales_date <= p.d
JOIN dw.dim_product pr ON pr.product_sk = s.product_sk
WHERE s.product_id IS NOT NULL
GROUP BY p.d, s.product_id, pr.category;

-- ---------------------------------------------------------------- anomalies
-- anomalies over revenue-counting sales in (D - 12 months, D]: 'iqr_quantity' = quantity outside
-- [Q1 - 1.5 IQR, Q3 + 1.5 IQR] of all those quantities (bounds filled, score null);
-- 'zscore_amount' = per product with >= 10 such sales and stddev_samp > 0, |z| >= 3 where
-- z = (amount - avg) / stddev_samp (score = z, bounds null).
DELETE FROM mart.anomalies WHERE as_of = ${run_date};
INSERT INTO mart.anomalies
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
w AS (
  SELECT s.transaction_id, s.product_id, s.customer_id, s.amount, s.quantity
  FROM dw.fact_sales s JOIN p ON s.sales_date > p.d - interval '12 months' AND s.sales_date <= p.d
  WHERE s.status IN ('completed', 'returned')),
q AS (
  SELECT (percentile_cont(0.25) WITHIN GROUP (ORDER BY quantity::float8))::numeric AS q1,
         (percentile_cont(0.75) WITHIN GROUP (ORDER BY quantity::float8))::numeric AS q3
  FROM w),
f AS (SELECT q1 - 1.5 * (q3 - q1) AS lo, q3 + 1.5 * (q3 - q1) AS hi FROM q),
ps AS (
  SELECT product_id, count(*) AS n, avg(amount) AS mu, stddev_samp(amount) AS sd
  FROM w WHERE product_id IS NOT NULL GROUP BY product_id),
z AS (
  SELECT w.*, (w.amount - ps.mu) / ps.sd AS z
  FROM w JOIN ps ON ps.product_id = w.product_id
  WHERE ps.n >= 10 AND ps.sd > 0)
SELECT p.d AS as_of, w.transaction_id, 'iqr_quantity', w.product_id, w.customer_id,
       w.quantity::numeric, round(f.lo, 6), round(f.hi, 6), NULL::numeric
FROM w, f, p
WHERE w.quantity < f.lo OR w.quantity > f.hi
UNION ALL
SELECT p.d, z.transaction_id, 'zscore_amount', z.product_id, z.customer_id, z.amount,
       NULL, NULL, round(z.z, 6)
FROM z, p
WHERE abs(z.z) >= 3;

-- ---------------------------------------------------------------- traffic_revenue_by_period
-- traffic_revenue_by_period: as customer_revenue_by_period, from fact_traffic.revenue_eur by
-- send_date, per (customer_id, channel_id) pair with any traffic <= D.
DELETE FROM mart.traffic_revenue_by_period WHERE as_of = ${run_date};
INSERT INTO mart.traffic_revenue_by_period
WITH p AS (SELECT CAST(${run_date} AS date) AS d, CAST('UTC' AS text) AS tz),
b AS (SELECT d, date_trunc('month', d)::date AS m0, date_trunc('quarter', d)::date AS q0,
             date_trunc('year', d)::date AS y0 FROM p),
agg AS (
  SELECT b.d, t.customer_id, t.channel_id,
    coalesce(sum(t.revenue_eur) FILTER (WHERE t.send_date BETWEEN b.m0 AND b.d), 0) AS mtd,
    coalesce(sum(t.revenue_eur) FILTER (
      WHERE t.send_date BETWEEN (b.m0 - interval '1 month')::date AND b.m0 - 1), 0) AS lm,
    coalesce(sum(t.revenue_eur) FILTER (
      WHERE t.send_date BETWEEN (b.q0 - interval '3 months')::date AND b.q0 - 1), 0) AS lq,
    coalesce(sum(t.revenue_eur) FILTER (
      WHERE t.send_date BETWEEN (b.q0 - interval '6 months')::date
                            AND (b.q0 - interval '3 months')::date - 1), 0) AS qb,
    coalesce(sum(t.revenue_eur) FILTER (WHERE t.send_date BETWEEN b.y0 AND b.d), 0) AS ytd
  FROM b JOIN dw.fact_traffic t ON t.send_date <= b.d
  GROUP BY b.d, t.customer_id, t.channel_id)
SELECT d AS as_of, customer_id, channel_id, round(mtd, 4), round(lm, 4), round(lq, 4),
       round(qb, 4), round(ytd, 4),
       CASE WHEN qb = 0 THEN NULL ELSE round(100 * (lq - qb) / qb, 4) END
FROM agg;

-- ---------------------------------------------------------------- run record
UPDATE ops.pipeline_runs p
SET status = 'succeeded', ended_at = clock_timestamp(),
    entity_counts = (SELECT jsonb_object_agg(entity, jsonb_build_object(
                       'read', read, 'loaded', loaded, 'quarantined', quarantined,
                       'deduplicated', deduplicated, 'pending', pending))
                     FROM lz.run_counts r WHERE r.run_id = p.run_id)
FROM run WHERE p.run_id = run.run_id;
