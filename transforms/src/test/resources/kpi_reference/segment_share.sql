-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- segment_share: customers whose version valid at D is not deleted, by segment (null ->
-- 'Unknown'); share_pct = 100 * customers / total.
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
SELECT p.d AS as_of, coalesce(v.segment, 'Unknown'), count(*),
       round(100.0 * count(*) / sum(count(*)) OVER (), 4)
FROM v_at_d v, p
WHERE NOT v.is_deleted
GROUP BY p.d, coalesce(v.segment, 'Unknown')
