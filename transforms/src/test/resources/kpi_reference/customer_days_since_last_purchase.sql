-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- customer_days_since_last_purchase: last COMPLETED sale <= D and D minus it; null if none.
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
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
GROUP BY p.d, pop.customer_id
