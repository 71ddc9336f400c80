-- Independent reference for SPEC §8, written from the spec (not from the Java code). Parameters
-- :as_of and :tz are substituted by the test. D = as_of; dates are calendar dates of event_ts in tz.
-- funnel_daily: per date in (D - 30 days, D] with any event: distinct sessions with any event that
-- date, and with a product_view / add_to_cart / checkout / purchase that date (a session spanning
-- midnight counts on both dates); view_to_cart_pct = 100 * add_to_cart / product_views,
-- cart_to_purchase_pct = 100 * purchases / add_to_cart, 4 decimals, null when the base is 0.
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
e AS (
  SELECT (w.event_ts AT TIME ZONE p.tz)::date AS day, w.session_id, w.event_type
  FROM dw.fact_web_events w, p
  WHERE (w.event_ts AT TIME ZONE p.tz)::date > p.d - 30
    AND (w.event_ts AT TIME ZONE p.tz)::date <= p.d),
c AS (
  SELECT day,
    count(DISTINCT session_id) AS sessions,
    count(DISTINCT session_id) FILTER (WHERE event_type = 'product_view') AS views,
    count(DISTINCT session_id) FILTER (WHERE event_type = 'add_to_cart') AS carts,
    count(DISTINCT session_id) FILTER (WHERE event_type = 'checkout') AS checkouts,
    count(DISTINCT session_id) FILTER (WHERE event_type = 'purchase') AS purchases
  FROM e GROUP BY day)
SELECT p.d, c.day, c.sessions, c.views, c.carts, c.checkouts, c.purchases,
       CASE WHEN c.views = 0 THEN NULL ELSE round(100.0 * c.carts / c.views, 4) END,
       CASE WHEN c.carts = 0 THEN NULL ELSE round(100.0 * c.purchases / c.carts, 4) END
FROM c, p
