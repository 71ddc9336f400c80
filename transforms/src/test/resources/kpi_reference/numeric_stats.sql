-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- numeric_stats: 'sales_amount' and 'sales_quantity' over revenue-counting sales in
-- (D - 12 months, D]; 'customer_revenue_12m' over the per-customer revenue of the top_customers
-- population. Sample stddev; median/q1/q3 = percentile_cont; 6 decimals (min/max 4).
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
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
GROUP BY p.d, m.metric
