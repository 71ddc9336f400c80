-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- traffic_revenue_by_period: as customer_revenue_by_period, from fact_traffic.revenue_eur by
-- send_date, per (customer_id, channel_id) pair with any traffic <= D.
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
b AS (SELECT d, date_trunc('month', d)::date AS m0, date_trunc('quarter', d)::date AS q0,
             date_trunc('year', d)::date AS y0 FROM p),
agg AS (
  SELECT b.d, t.customer_id, t.channel_id,
    coalesce(sum(t.revenue_eur) FILTER (WHERE t.send_date BETWEEN b.m0 AND b.d), 0) AS mtd,
    coalesce(sum(t.revenue_eur) FILTER (
      WHERE t.send_date BETWEEN (b.m0 - interval '1 month')::date AND b.m0 - 1), 0) AS lm,
    coalesce(sum(t.revenue_eur) FILTER (
      WHERE t.send_date BETWEEN (b.q0 - interval '3 months')::date AND b.q0 - 1), 0) AS lq,
    coalesce(sum(t.revenue_eur) FILTER (
      WHERE t.send_date BETWEEN (b.q0 - interval '6 months')::date
                            AND (b.q0 - interval '3 months')::date - 1), 0) AS qb,
    coalesce(sum(t.revenue_eur) FILTER (WHERE t.send_date BETWEEN b.y0 AND b.d), 0) AS ytd
  FROM b JOIN dw.fact_traffic t ON t.send_date <= b.d
  GROUP BY b.d, t.customer_id, t.channel_id)
SELECT d AS as_of, customer_id, channel_id, round(mtd, 4), round(lm, 4), round(lq, 4),
       round(qb, 4), round(ytd, 4),
       CASE WHEN qb = 0 THEN NULL ELSE round(100 * (lq - qb) / qb, 4) END
FROM agg
