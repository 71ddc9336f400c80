-- Independent reference for SPEC §9, written from the spec (not from the Java code). Parameters
-- :as_of and :tz are substituted by the test. D = as_of; sale dates are calendar dates of
-- transaction_ts in tz; the window is (D - 12 months, D] (PostgreSQL month arithmetic).
-- next_best_category: the population is every customer with a completed sale in the window (with
-- or without a product); a customer's set = the categories of the product versions of their
-- completed sales of the window; lift(b -> c) = P(c|b) / P(c) = n_bc * N / (n_b * n_c) (0 for a
-- pair nobody bought); score(c) = sum over bought b of lift(b -> c), 6 decimals; the top 3 accepted
-- categories (the entity model's defaults) not bought, by score, ties by name (code points).
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz),
w AS (SELECT p.d, (p.d - interval '12 months')::date AS start, p.tz FROM p),
s AS (
  SELECT s.customer_id, pr.category
  FROM dw.fact_sales s CROSS JOIN w
  LEFT JOIN dw.dim_product pr ON pr.product_sk = s.product_sk
  WHERE s.status = 'completed'
    AND (s.transaction_ts AT TIME ZONE w.tz)::date > w.start
    AND (s.transaction_ts AT TIME ZONE w.tz)::date <= w.d),
pop AS (SELECT DISTINCT customer_id FROM s),
n AS (SELECT count(*) AS n FROM pop),
bought AS (SELECT DISTINCT customer_id, category FROM s WHERE category IS NOT NULL),
nc AS (SELECT category, count(*) AS nc FROM bought GROUP BY category),
pair AS (
  SELECT b.category AS b, c.category AS c, count(*) AS nbc
  FROM bought b JOIN bought c ON c.customer_id = b.customer_id AND c.category <> b.category
  GROUP BY b.category, c.category),
lift AS (
  SELECT pair.b, pair.c, pair.nbc * n.n::numeric / (nb.nc * ncc.nc) AS lift
  FROM pair CROSS JOIN n
  JOIN nc nb ON nb.category = pair.b
  JOIN nc ncc ON ncc.category = pair.c),
accepted AS (
  SELECT unnest(ARRAY['Apps & Games', 'Beauty', 'Books', 'Clothing Shoes & Accessories',
                      'Kitchen', 'Movies & TV', 'Sports Fitness & Outdoors']) AS category),
cand AS (
  SELECT pop.customer_id, a.category FROM pop CROSS JOIN accepted a
  WHERE NOT EXISTS (SELECT 1 FROM bought x
                    WHERE x.customer_id = pop.customer_id AND x.category = a.category)),
scored AS (
  SELECT cand.customer_id, cand.category,
         round(coalesce((SELECT sum(l.lift) FROM bought x
                         JOIN lift l ON l.b = x.category AND l.c = cand.category
                         WHERE x.customer_id = cand.customer_id), 0), 6) AS score
  FROM cand),
ranked AS (
  SELECT scored.*, row_number() OVER (
    PARTITION BY customer_id ORDER BY score DESC, category COLLATE "C") AS rank
  FROM scored)
SELECT w.d, r.customer_id, r.rank, r.category, r.score FROM ranked r CROSS JOIN w WHERE r.rank <= 3
