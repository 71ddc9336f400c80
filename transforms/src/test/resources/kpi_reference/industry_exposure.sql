-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- industry_exposure: revenue in (D - 12 months, D] by industry of the customer version AT SALE
-- TIME (null -> 'Unknown'); share of the total (null if total = 0); rank by revenue desc, then
-- industry in code-point order.
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
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
FROM g, t, p
