-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- customer_revenue_by_period: mtd [1st of month(D), D]; previous full month; previous full
-- quarter; the quarter before it; ytd; qoq % = 100 (lq - qb) / qb, null when qb = 0.
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
  SELECT s.customer_id FROM dw.fact_sales s, p WHERE s.sales_date <= p.d),
b AS (SELECT d, date_trunc('month', d)::date AS m0, date_trunc('quarter', d)::date AS q0,
             date_trunc('year', d)::date AS y0 FROM p),
agg AS (
  SELECT b.d, pop.customer_id,
    coalesce(sum(s.amount) FILTER (WHERE s.sales_date BETWEEN b.m0 AND b.d), 0) AS mtd,
    coalesce(sum(s.amount) FILTER (
      WHERE s.sales_date BETWEEN (b.m0 - interval '1 month')::date AND b.m0 - 1), 0) AS lm,
    coalesce(sum(s.amount) FILTER (
      WHERE s.sales_date BETWEEN (b.q0 - interval '3 months')::date AND b.q0 - 1), 0) AS lq,
    coalesce(sum(s.amount) FILTER (
      WHERE s.sales_date BETWEEN (b.q0 - interval '6 months')::date
                             AND (b.q0 - interval '3 months')::date - 1), 0) AS qb,
    coalesce(sum(s.amount) FILTER (WHERE s.sales_date BETWEEN b.y0 AND b.d), 0) AS ytd
  FROM b CROSS JOIN pop
  LEFT JOIN dw.fact_sales s
    ON s.customer_id = pop.customer_id AND s.status IN ('completed', 'returned')
   AND s.sales_date <= b.d
  GROUP BY b.d, pop.customer_id)
SELECT d AS as_of, customer_id, round(mtd, 4), round(lm, 4), round(lq, 4), round(qb, 4),
       round(ytd, 4), CASE WHEN qb = 0 THEN NULL ELSE round(100 * (lq - qb) / qb, 4) END
FROM agg
