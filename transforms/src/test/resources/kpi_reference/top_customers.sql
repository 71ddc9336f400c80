-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- top_customers: customers with >= 1 revenue-counting sale in (D - 12 months, D], top 20 by that
-- revenue, ties by customer_id (code-point order).
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
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
FROM r, p WHERE r.rk <= 20
