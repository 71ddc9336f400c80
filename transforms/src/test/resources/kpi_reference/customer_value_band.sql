-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- customer_value_band: for the top_customers population, 'Low' if revenue_12m < Q1, 'High' if
-- > Q3, else 'Mid' (Q1/Q3 of customer_revenue_12m as numeric_stats reports them).
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
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
FROM c, q, p
