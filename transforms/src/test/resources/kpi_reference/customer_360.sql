-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- customer_360: attributes of the version valid at D (else the key's first version); first/last
-- COMPLETED sale <= D; orders = distinct coalesce(order_id, transaction_id) of completed sales;
-- lifetime revenue <= D; avg_order_value = lifetime / orders; revenue per category of the product
-- version AT SALE TIME; 'new' if the first purchase is in [D - 29, D]; churn 'high' (none or
-- > 90 days), 'medium' (> 30), else 'low'.
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
attrs AS (
  SELECT pop.customer_id, coalesce(v.customer_sk, f.customer_sk) AS sk
  FROM pop
  LEFT JOIN v_at_d v ON v.customer_id = pop.customer_id
  LEFT JOIN LATERAL (SELECT x.customer_sk FROM dw.dim_customer x
                     WHERE x.customer_id = pop.customer_id
                     ORDER BY x.valid_from LIMIT 1) f ON true),
s AS (
  SELECT s.*, pr.category, s.status IN ('completed', 'returned') AS rev
  FROM dw.fact_sales s JOIN p ON s.sales_date <= p.d
  LEFT JOIN dw.dim_product pr ON pr.product_sk = s.product_sk),
agg AS (
  SELECT customer_id,
    min(sales_date) FILTER (WHERE status = 'completed') AS first_p,
    max(sales_date) FILTER (WHERE status = 'completed') AS last_p,
    count(DISTINCT coalesce(order_id, transaction_id)) FILTER (WHERE status = 'completed') AS orders,
    coalesce(sum(amount) FILTER (WHERE rev), 0) AS lifetime,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Apps & Games'), 0) AS c1,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Beauty'), 0) AS c2,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Books'), 0) AS c3,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Clothing Shoes & Accessories'), 0) AS c4,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Kitchen'), 0) AS c5,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Movies & TV'), 0) AS c6,
    coalesce(sum(amount) FILTER (WHERE rev AND category = 'Sports Fitness & Outdoors'), 0) AS c7
  FROM s GROUP BY customer_id)
SELECT p.d AS as_of, a.customer_id, c.account_id, c.name, c.email, c.city, c.country, c.segment,
       c.industry, c.created_date, g.first_p, g.last_p, coalesce(g.orders, 0),
       round(coalesce(g.lifetime, 0), 4),
       CASE WHEN coalesce(g.orders, 0) = 0 THEN NULL ELSE round(g.lifetime / g.orders, 4) END,
       round(coalesce(g.c1, 0), 4), round(coalesce(g.c2, 0), 4), round(coalesce(g.c3, 0), 4),
       round(coalesce(g.c4, 0), 4), round(coalesce(g.c5, 0), 4), round(coalesce(g.c6, 0), 4),
       round(coalesce(g.c7, 0), 4),
       CASE WHEN g.first_p BETWEEN p.d - 29 AND p.d THEN 'new' ELSE 'returning' END,
       CASE WHEN g.last_p IS NULL OR p.d - g.last_p > 90 THEN 'high'
            WHEN p.d - g.last_p > 30 THEN 'medium' ELSE 'low' END,
       jsonb_build_object('Apps & Games', round(coalesce(g.c1, 0), 4),
                          'Beauty', round(coalesce(g.c2, 0), 4),
                          'Books', round(coalesce(g.c3, 0), 4),
                          'Clothing Shoes & Accessories', round(coalesce(g.c4, 0), 4),
                          'Kitchen', round(coalesce(g.c5, 0), 4),
                          'Movies & TV', round(coalesce(g.c6, 0), 4),
                          'Sports Fitness & Outdoors', round(coalesce(g.c7, 0), 4))
FROM p CROSS JOIN attrs a
JOIN dw.dim_customer c ON c.customer_sk = a.sk
LEFT JOIN agg g ON g.customer_id = a.customer_id
