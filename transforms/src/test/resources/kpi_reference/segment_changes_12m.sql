-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- segment_changes_12m: versions whose valid_from date (in tz) is in (D - 12 months, D] and whose
-- segment IS DISTINCT FROM the previous version's of the same key; first versions and tombstones
-- are not changes.
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
h AS (
  SELECT customer_id, valid_from, segment, is_deleted,
         lag(segment) OVER (PARTITION BY customer_id ORDER BY valid_from) AS prev_segment,
         row_number() OVER (PARTITION BY customer_id ORDER BY valid_from) AS rn
  FROM dw.dim_customer)
SELECT p.d AS as_of, h.customer_id, (h.valid_from AT TIME ZONE p.tz)::date, h.valid_from,
       h.prev_segment, h.segment
FROM h, p
WHERE h.rn > 1 AND NOT h.is_deleted AND h.segment IS DISTINCT FROM h.prev_segment
  AND (h.valid_from AT TIME ZONE p.tz)::date > p.d - interval '12 months'
  AND (h.valid_from AT TIME ZONE p.tz)::date <= p.d
