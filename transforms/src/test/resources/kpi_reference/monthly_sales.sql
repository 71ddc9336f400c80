-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- monthly_sales: as daily_sales per calendar month (first day) for the 12 months ending with
-- month(D), the current month up to D; months with any sale.
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz)
SELECT p.d AS as_of, date_trunc('month', s.sales_date)::date,
       round(coalesce(sum(s.amount) FILTER (WHERE s.status IN ('completed', 'returned')), 0), 4),
       count(DISTINCT coalesce(s.order_id, s.transaction_id)) FILTER (WHERE s.status = 'completed'),
       count(DISTINCT s.customer_id) FILTER (WHERE s.status = 'completed'),
       coalesce(sum(s.quantity) FILTER (WHERE s.status = 'completed'), 0)
FROM dw.fact_sales s JOIN p
  ON s.sales_date >= (date_trunc('month', p.d) - interval '11 months')::date
 AND s.sales_date <= p.d
GROUP BY p.d, date_trunc('month', s.sales_date)::date
