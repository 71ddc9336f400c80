-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- daily_sales: each sales_date in (D - 12 months, D] with any sale (any status): revenue; distinct
-- coalesce(order_id, transaction_id), distinct customers and units of completed sales.
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz)
SELECT p.d AS as_of, s.sales_date,
       round(coalesce(sum(s.amount) FILTER (WHERE s.status IN ('completed', 'returned')), 0), 4),
       count(DISTINCT coalesce(s.order_id, s.transaction_id)) FILTER (WHERE s.status = 'completed'),
       count(DISTINCT s.customer_id) FILTER (WHERE s.status = 'completed'),
       coalesce(sum(s.quantity) FILTER (WHERE s.status = 'completed'), 0)
FROM dw.fact_sales s JOIN p ON s.sales_date > p.d - interval '12 months' AND s.sales_date <= p.d
GROUP BY p.d, s.sales_date
