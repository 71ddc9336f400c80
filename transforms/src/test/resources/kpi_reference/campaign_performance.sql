-- Independent reference for SPEC §8, written from the spec (not from the Java code). Parameters
-- :as_of and :tz are substituted by the test. D = as_of; dates are calendar dates of event_ts and
-- transaction_ts in tz; the window is (D - 12 months, D] (PostgreSQL month arithmetic).
-- campaign_performance: per campaign whose [start_date, end_date] (open when end_date is null)
-- overlaps the window; over the window's events: distinct sessions with an event of the campaign,
-- distinct known customers with one; last touch: each completed sale of the window goes to the
-- campaign of the customer's latest event of the window with a campaign in
-- [transaction_ts - 7 x 24 hours, transaction_ts], ties to the smaller campaign_id;
-- attributed_orders = distinct coalesce(order_id, transaction_id), attributed_revenue = sum of
-- their amounts; roas = attributed_revenue / budget_eur, 6 decimals, null when the budget is null
-- or 0.
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
w AS (SELECT p.d, (p.d - interval '12 months')::date AS start, p.tz FROM p),
c AS (
  SELECT k.* FROM dw.dim_campaign k, w
  WHERE k.start_date <= w.d AND (k.end_date IS NULL OR k.end_date > w.start)),
ev AS (
  SELECT e.campaign_id, e.session_id, e.customer_id, e.event_ts
  FROM dw.fact_web_events e, w
  WHERE e.campaign_id IS NOT NULL
    AND (e.event_ts AT TIME ZONE w.tz)::date > w.start
    AND (e.event_ts AT TIME ZONE w.tz)::date <= w.d),
reach AS (
  SELECT campaign_id, count(DISTINCT session_id) AS sessions,
         count(DISTINCT customer_id) AS customers
  FROM ev GROUP BY campaign_id),
sales AS (
  SELECT s.* FROM dw.fact_sales s, w
  WHERE s.status = 'completed'
    AND (s.transaction_ts AT TIME ZONE w.tz)::date > w.start
    AND (s.transaction_ts AT TIME ZONE w.tz)::date <= w.d),
attr AS (
  SELECT s.transaction_id, s.order_id, s.amount, t.campaign_id
  FROM sales s CROSS JOIN LATERAL (
    SELECT ev.campaign_id FROM ev
    WHERE ev.customer_id = s.customer_id
      AND ev.event_ts >= s.transaction_ts - interval '168 hours'
      AND ev.event_ts <= s.transaction_ts
    ORDER BY ev.event_ts DESC, ev.campaign_id COLLATE "C" LIMIT 1) t),
agg AS (
  SELECT campaign_id, count(DISTINCT coalesce(order_id, transaction_id)) AS orders,
         sum(amount) AS revenue
  FROM attr GROUP BY campaign_id)
SELECT w.d, c.campaign_id, c.campaign_name, coalesce(r.sessions, 0), coalesce(r.customers, 0),
       coalesce(a.orders, 0), round(coalesce(a.revenue, 0), 4), round(c.budget_eur, 4),
       CASE WHEN c.budget_eur IS NULL OR c.budget_eur = 0 THEN NULL
            ELSE round(coalesce(a.revenue, 0) / c.budget_eur, 6) END
FROM c CROSS JOIN w
LEFT JOIN reach r ON r.campaign_id = c.campaign_id
LEFT JOIN agg a ON a.campaign_id = c.campaign_id
