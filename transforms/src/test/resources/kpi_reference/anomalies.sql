-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- anomalies over revenue-counting sales in (D - 12 months, D]: 'iqr_quantity' = quantity outside
-- [Q1 - 1.5 IQR, Q3 + 1.5 IQR] of all those quantities (bounds filled, score null);
-- 'zscore_amount' = per product with >= 10 such sales and stddev_samp > 0, |z| >= 3 where
-- z = (amount - avg) / stddev_samp (score = z, bounds null).
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
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
WHERE abs(z.z) >= 3
