-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- consistent_top_customers: the top ceil(10% of n) of the top_customers ranking (n = customers
-- with a revenue-counting sale in the window) with revenue > 0 in each of the 12 full calendar
-- months before month(D); rank = position in that ranking.
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
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
WHERE r.rk <= ceil(n.n / 10.0) AND r.customer_id IN (SELECT customer_id FROM ok)
