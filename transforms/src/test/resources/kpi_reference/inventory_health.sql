-- Independent reference for SPEC §8, written from the spec (not from the Java code). Parameters
-- :as_of and :tz are substituted by the test. D = as_of; sale dates are calendar dates of
-- transaction_ts in tz; (D - 30 days, D] = [D - 29, D]; (D - 12 months, D] PostgreSQL month
-- arithmetic.
-- inventory_health: per product with a snapshot <= D or a completed sale in the 12-month window;
-- category of the product version valid at the end of D, else of its first version; on_hand = sum
-- over shops of each shop's latest snapshot <= D (null without any); units_sold_30d = completed
-- quantity in the 30 days; days_of_cover = on_hand / (units_sold_30d / 30), 4 decimals, null when
-- units_sold_30d is 0; stockout_shop_days_30d = snapshots of the 30 days with on_hand = 0;
-- turnover_12m = completed quantity of the 12 months / mean over the window's snapshot dates of
-- the on_hand summed per date, 6 decimals (written units * dates / total, the same quotient),
-- null without snapshot dates or when the mean is 0.
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
w AS (SELECT p.d, (p.d - interval '12 months')::date AS start, p.d - 29 AS start30, p.tz FROM p),
latest AS (
  SELECT DISTINCT ON (i.product_id, i.shop_id) i.product_id, i.on_hand
  FROM dw.fact_inventory i, w WHERE i.snapshot_date <= w.d
  ORDER BY i.product_id, i.shop_id, i.snapshot_date DESC),
stock AS (SELECT product_id, sum(on_hand) AS on_hand FROM latest GROUP BY product_id),
sold AS (
  SELECT s.product_id, sum(s.quantity) AS units12,
         coalesce(sum(s.quantity) FILTER (
           WHERE (s.transaction_ts AT TIME ZONE w.tz)::date >= w.start30), 0) AS units30
  FROM dw.fact_sales s, w
  WHERE s.status = 'completed' AND s.product_id IS NOT NULL
    AND (s.transaction_ts AT TIME ZONE w.tz)::date > w.start
    AND (s.transaction_ts AT TIME ZONE w.tz)::date <= w.d
  GROUP BY s.product_id),
per_date AS (
  SELECT i.product_id, i.snapshot_date, sum(i.on_hand) AS total
  FROM dw.fact_inventory i, w WHERE i.snapshot_date > w.start AND i.snapshot_date <= w.d
  GROUP BY i.product_id, i.snapshot_date),
mean AS (
  SELECT product_id, count(*) AS dates, sum(total) AS total FROM per_date GROUP BY product_id),
outs AS (
  SELECT i.product_id, count(*) AS n FROM dw.fact_inventory i, w
  WHERE i.on_hand = 0 AND i.snapshot_date >= w.start30 AND i.snapshot_date <= w.d
  GROUP BY i.product_id),
prods AS (SELECT product_id FROM stock UNION SELECT product_id FROM sold),
cat AS (
  SELECT pr.product_id, coalesce(
    (SELECT x.category FROM dw.dim_product x WHERE x.product_id = pr.product_id
       AND x.valid_from < ((w.d + 1)::timestamp AT TIME ZONE w.tz)
       AND x.valid_to >= ((w.d + 1)::timestamp AT TIME ZONE w.tz) LIMIT 1),
    (SELECT x.category FROM dw.dim_product x WHERE x.product_id = pr.product_id
       ORDER BY x.valid_from LIMIT 1)) AS category
  FROM prods pr, w)
SELECT w.d, pr.product_id, cat.category, st.on_hand, coalesce(so.units30, 0),
       CASE WHEN st.on_hand IS NULL OR coalesce(so.units30, 0) = 0 THEN NULL
            ELSE round(st.on_hand * 30 / so.units30, 4) END,
       coalesce(o.n, 0),
       CASE WHEN m.dates IS NULL OR m.total = 0 THEN NULL
            ELSE round(coalesce(so.units12, 0) * m.dates / m.total, 6) END
FROM prods pr CROSS JOIN w
JOIN cat ON cat.product_id = pr.product_id
LEFT JOIN stock st ON st.product_id = pr.product_id
LEFT JOIN sold so ON so.product_id = pr.product_id
LEFT JOIN mean m ON m.product_id = pr.product_id
LEFT JOIN outs o ON o.product_id = pr.product_id
