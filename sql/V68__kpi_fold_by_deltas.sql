-- kpi.fold() by exact deltas only (issue 12): a fold reads the change log and compact state, never
-- the facts, so a backdated re-delivery or a resolved pending row costs its own rows, not its date.
--
-- V50's fold recomputed every dirty (customer, date) and (product, date) bucket from dw.fact_sales,
-- because distinct-order counts and the category maps can not move by deltas of the log as it was
-- (it did not carry the category at sale time). Now:
--   * the log carries category_at_sale, so customer_day.categories and product_day's category key
--     move by exact deltas like every other sum;
--   * distinct completed orders are kept as counts of completed lines per key and order:
--       customer_order (sales_date, customer_id, order_key) -> n
--       product_order  (sales_date, product_id, category, order_key) -> n
--     a fold adds the log's net change per key and order; an order whose n leaves zero or comes
--     back to zero moves its bucket's orders by one;
--   * order_span (orders split over dates or customers) is re-derived for the touched orders from
--     customer_order, not from the facts.
-- The state stays exactly what V50 defined (KpiStateFoldIT compares it with a model of the facts).

-- The log as it stands was written without categories: fold it with V50's fold first.
SELECT kpi.fold();

ALTER TABLE kpi.sales_changes ADD COLUMN category text;

CREATE TABLE kpi.customer_order (
  sales_date  date   NOT NULL,
  customer_id text   NOT NULL,
  order_key   text   NOT NULL,
  n           bigint NOT NULL,   -- completed lines of the order for this customer on this date
  PRIMARY KEY (sales_date, customer_id, order_key)
);
CREATE TABLE kpi.product_order (
  sales_date date   NOT NULL,
  product_id text   NOT NULL,
  category   text   NOT NULL,   -- '' = no product version, as in product_day
  order_key  text   NOT NULL,
  n          bigint NOT NULL,
  PRIMARY KEY (sales_date, product_id, category, order_key)
);
INSERT INTO kpi.customer_order
  SELECT sales_date, customer_id, coalesce(order_id, transaction_id), count(*)
  FROM dw.fact_sales WHERE status = 'completed' GROUP BY 1, 2, 3;
INSERT INTO kpi.product_order
  SELECT sales_date, product_id, coalesce(category_at_sale, ''), coalesce(order_id, transaction_id),
         count(*)
  FROM dw.fact_sales WHERE status = 'completed' AND product_id IS NOT NULL GROUP BY 1, 2, 3, 4;
-- order_span of a touched order: its dates and customers
CREATE INDEX customer_order_key_idx ON kpi.customer_order (order_key);

CREATE OR REPLACE FUNCTION kpi.log_sales_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi.sales_changes (sign, customer_id, product_id, sales_date, status, quantity,
                                 amount, industry, category, order_key)
  SELECT 1, customer_id, product_id, sales_date, status, quantity, amount, industry_at_sale,
         category_at_sale, coalesce(order_id, transaction_id)
  FROM new_rows;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION kpi.log_sales_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi.sales_changes (sign, customer_id, product_id, sales_date, status, quantity,
                                 amount, industry, category, order_key)
  SELECT -1, customer_id, product_id, sales_date, status, quantity, amount, industry_at_sale,
         category_at_sale, coalesce(order_id, transaction_id)
  FROM old_rows;
  RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION kpi.log_sales_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi.sales_changes (sign, customer_id, product_id, sales_date, status, quantity,
                                 amount, industry, category, order_key)
  SELECT -1, customer_id, product_id, sales_date, status, quantity, amount, industry_at_sale,
         category_at_sale, coalesce(order_id, transaction_id)
  FROM old_rows
  UNION ALL
  SELECT 1, customer_id, product_id, sales_date, status, quantity, amount, industry_at_sale,
         category_at_sale, coalesce(order_id, transaction_id)
  FROM new_rows;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION kpi.clear_sales_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE kpi.sales_changes, kpi.customer_day, kpi.customer_month, kpi.customer_total,
           kpi.sales_day, kpi.industry_day, kpi.product_day, kpi.order_span, kpi.amount_day,
           kpi.quantity_day, kpi.customer_order, kpi.product_order;
  RETURN NULL;
END $$;

-- Folds every logged change into the state, in one transaction with consuming the log, so a fold
-- that fails leaves both as they were and the next run folds the same changes. Returns the number
-- of change rows folded. Reads the log and the state only (the traffic part re-reads a pair's
-- facts in the rare case that its first row is taken away).
CREATE OR REPLACE FUNCTION kpi.fold() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  hi  bigint;
  thi bigint;
  n   bigint := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('c360.kpi.fold'));
  SELECT max(id) INTO hi FROM kpi.sales_changes;
  IF hi IS NOT NULL THEN
    CREATE TEMP TABLE kpi_ch ON COMMIT DROP AS
      SELECT * FROM kpi.sales_changes WHERE id <= hi;
    n := n + (SELECT count(*) FROM kpi_ch);
    CREATE TEMP TABLE kpi_dates ON COMMIT DROP AS SELECT DISTINCT sales_date FROM kpi_ch;
    ANALYZE kpi_dates;

    -- distinct completed orders per customer and date: the net change of each order's completed
    -- lines; an order whose count leaves zero adds one, one that drops to zero takes one off
    CREATE TEMP TABLE kpi_co ON COMMIT DROP AS
      SELECT sales_date, customer_id, order_key, sum(sign)::bigint AS d
      FROM kpi_ch WHERE status = 'completed' GROUP BY 1, 2, 3 HAVING sum(sign) <> 0;
    ANALYZE kpi_co;
    CREATE TEMP TABLE kpi_co_orders ON COMMIT DROP AS
      SELECT k.sales_date, k.customer_id,
             sum((coalesce(o.n, 0) + k.d > 0)::int - (coalesce(o.n, 0) > 0)::int) AS orders
      FROM kpi_co k
      LEFT JOIN kpi.customer_order o
        ON o.sales_date = k.sales_date AND o.customer_id = k.customer_id
       AND o.order_key = k.order_key
      GROUP BY 1, 2;
    INSERT INTO kpi.customer_order AS o SELECT sales_date, customer_id, order_key, d FROM kpi_co
    ON CONFLICT (sales_date, customer_id, order_key) DO UPDATE SET n = o.n + excluded.n;
    DELETE FROM kpi.customer_order o USING kpi_co k
      WHERE o.sales_date = k.sales_date AND o.customer_id = k.customer_id
        AND o.order_key = k.order_key AND o.n = 0;

    -- customer x day: the logged rows' exact differences (categories: revenue by category at sale)
    CREATE TEMP TABLE kpi_cd_cat ON COMMIT DROP AS
      SELECT customer_id, sales_date, jsonb_object_agg(category, revenue) AS categories
      FROM (SELECT customer_id, sales_date, category, sum(sign * amount) AS revenue FROM kpi_ch
            WHERE status IN ('completed', 'returned') AND category IS NOT NULL
            GROUP BY 1, 2, 3 HAVING sum(sign * amount) <> 0) x
      GROUP BY 1, 2;
    CREATE TEMP TABLE kpi_cd_diff ON COMMIT DROP AS
      SELECT d.customer_id, d.sales_date, date_trunc('month', d.sales_date)::date AS month,
             d.sales, d.completed, d.rev_sales, d.revenue, d.units,
             coalesce(o.orders, 0) AS orders, coalesce(c.categories, '{}'::jsonb) AS categories,
             (coalesce(cd.completed, 0) + d.completed > 0)::int
               - (coalesce(cd.completed, 0) > 0)::int AS buyers
      FROM (SELECT customer_id, sales_date, sum(sign) AS sales,
                   coalesce(sum(sign) FILTER (WHERE status = 'completed'), 0) AS completed,
                   coalesce(sum(sign) FILTER (WHERE status IN ('completed', 'returned')), 0)
                     AS rev_sales,
                   coalesce(sum(sign * amount) FILTER (WHERE status IN ('completed', 'returned')),
                            0) AS revenue,
                   coalesce(sum(sign * quantity::numeric) FILTER (WHERE status = 'completed'), 0)
                     AS units
            FROM kpi_ch GROUP BY 1, 2) d
      LEFT JOIN kpi_co_orders o ON o.customer_id = d.customer_id AND o.sales_date = d.sales_date
      LEFT JOIN kpi_cd_cat c ON c.customer_id = d.customer_id AND c.sales_date = d.sales_date
      LEFT JOIN kpi.customer_day cd
        ON cd.customer_id = d.customer_id AND cd.sales_date = d.sales_date;
    ANALYZE kpi_cd_diff;
    INSERT INTO kpi.customer_day AS cd
      SELECT sales_date, customer_id, sales, completed, rev_sales, revenue, units, orders,
             categories
      FROM kpi_cd_diff
    ON CONFLICT (sales_date, customer_id) DO UPDATE SET
      sales = cd.sales + excluded.sales, completed = cd.completed + excluded.completed,
      rev_sales = cd.rev_sales + excluded.rev_sales, revenue = cd.revenue + excluded.revenue,
      units = cd.units + excluded.units, orders = cd.orders + excluded.orders,
      categories = CASE WHEN excluded.categories = '{}'::jsonb THEN cd.categories
                        ELSE kpi.jsonb_add(cd.categories, excluded.categories) END;
    DELETE FROM kpi.customer_day cd USING kpi_cd_diff k
      WHERE cd.customer_id = k.customer_id AND cd.sales_date = k.sales_date AND cd.sales = 0;

    -- category differences summed set-wise (one jsonb_add per existing row, not per day)
    CREATE TEMP TABLE kpi_cat_diff ON COMMIT DROP AS
      SELECT d.month, d.customer_id, e.key AS category, sum(e.value::numeric) AS revenue
      FROM kpi_cd_diff d CROSS JOIN LATERAL jsonb_each_text(d.categories) e
      GROUP BY 1, 2, 3;
    CREATE TEMP TABLE kpi_cat_month ON COMMIT DROP AS
      SELECT month, customer_id, jsonb_object_agg(category, revenue) AS categories
      FROM kpi_cat_diff WHERE revenue <> 0 GROUP BY 1, 2;
    CREATE TEMP TABLE kpi_cat_total ON COMMIT DROP AS
      SELECT customer_id, jsonb_object_agg(category, revenue) AS categories
      FROM (SELECT customer_id, category, sum(revenue) AS revenue FROM kpi_cat_diff
            GROUP BY 1, 2) x
      WHERE revenue <> 0 GROUP BY 1;
    INSERT INTO kpi.customer_month AS m
      SELECT d.month, d.customer_id, d.sales, d.completed, d.rev_sales, d.revenue, d.units,
             d.orders, coalesce(c.categories, '{}')
      FROM (SELECT month, customer_id, sum(sales) AS sales, sum(completed) AS completed,
                   sum(rev_sales) AS rev_sales, sum(revenue) AS revenue, sum(units) AS units,
                   sum(orders) AS orders
            FROM kpi_cd_diff GROUP BY month, customer_id) d
      LEFT JOIN kpi_cat_month c ON c.month = d.month AND c.customer_id = d.customer_id
    ON CONFLICT (month, customer_id) DO UPDATE SET
      sales = m.sales + excluded.sales, completed = m.completed + excluded.completed,
      rev_sales = m.rev_sales + excluded.rev_sales, revenue = m.revenue + excluded.revenue,
      units = m.units + excluded.units, orders = m.orders + excluded.orders,
      categories = CASE WHEN excluded.categories = '{}'::jsonb THEN m.categories
                        ELSE kpi.jsonb_add(m.categories, excluded.categories) END;
    DELETE FROM kpi.customer_month WHERE sales = 0
      AND (month, customer_id) IN (SELECT DISTINCT month, customer_id FROM kpi_cd_diff);

    INSERT INTO kpi.customer_total AS t (customer_id, sales, completed, rev_sales, revenue, units,
                                         orders, categories)
      SELECT d.customer_id, d.sales, d.completed, d.rev_sales, d.revenue, d.units, d.orders,
             coalesce(c.categories, '{}')
      FROM (SELECT customer_id, sum(sales) AS sales, sum(completed) AS completed,
                   sum(rev_sales) AS rev_sales, sum(revenue) AS revenue, sum(units) AS units,
                   sum(orders) AS orders
            FROM kpi_cd_diff GROUP BY customer_id) d
      LEFT JOIN kpi_cat_total c ON c.customer_id = d.customer_id
    ON CONFLICT (customer_id) DO UPDATE SET
      sales = t.sales + excluded.sales, completed = t.completed + excluded.completed,
      rev_sales = t.rev_sales + excluded.rev_sales, revenue = t.revenue + excluded.revenue,
      units = t.units + excluded.units, orders = t.orders + excluded.orders,
      categories = CASE WHEN excluded.categories = '{}'::jsonb THEN t.categories
                        ELSE kpi.jsonb_add(t.categories, excluded.categories) END;
    -- first and last completed dates move only where a customer day gained or lost its buyer
    UPDATE kpi.customer_total t SET
      first_completed = (SELECT min(d.sales_date) FROM kpi.customer_day d
                         WHERE d.customer_id = t.customer_id AND d.completed > 0),
      last_completed = (SELECT max(d.sales_date) FROM kpi.customer_day d
                        WHERE d.customer_id = t.customer_id AND d.completed > 0)
    WHERE t.customer_id IN (SELECT DISTINCT customer_id FROM kpi_cd_diff WHERE buyers <> 0);
    DELETE FROM kpi.customer_total
      WHERE sales = 0 AND customer_id IN (SELECT DISTINCT customer_id FROM kpi_cd_diff);

    -- per date: the customer days' differences (orders are counted per customer; the reads take
    -- off orders that several customers share)
    INSERT INTO kpi.sales_day AS s
      SELECT sales_date, sum(sales), sum(revenue), sum(orders), sum(buyers), sum(units)
      FROM kpi_cd_diff GROUP BY sales_date
    ON CONFLICT (sales_date) DO UPDATE SET
      sales = s.sales + excluded.sales, revenue = s.revenue + excluded.revenue,
      orders = s.orders + excluded.orders, customers = s.customers + excluded.customers,
      units = s.units + excluded.units;
    DELETE FROM kpi.sales_day s USING kpi_dates d WHERE s.sales_date = d.sales_date AND s.sales = 0;

    -- orders split over dates or customers, for the orders whose completed lines moved
    CREATE TEMP TABLE kpi_orders ON COMMIT DROP AS SELECT DISTINCT order_key FROM kpi_co;
    ANALYZE kpi_orders;
    DELETE FROM kpi.order_span s USING kpi_orders k WHERE s.order_key = k.order_key;
    INSERT INTO kpi.order_span
      SELECT k.order_key, min(o.sales_date), max(o.sales_date)
      FROM kpi_orders k
      JOIN kpi.customer_order o ON o.order_key = k.order_key
      GROUP BY k.order_key
      HAVING min(o.sales_date) < max(o.sales_date) OR min(o.customer_id) < max(o.customer_id);

    -- industry at sale time and the value histograms: exact deltas of the logged rows
    INSERT INTO kpi.industry_day AS i
      SELECT sales_date, coalesce(industry, 'Unknown'), sum(sign * amount), sum(sign)
      FROM kpi_ch WHERE status IN ('completed', 'returned') GROUP BY 1, 2
    ON CONFLICT (sales_date, industry) DO UPDATE SET
      revenue = i.revenue + excluded.revenue, rev_sales = i.rev_sales + excluded.rev_sales;
    DELETE FROM kpi.industry_day i USING kpi_dates d
      WHERE i.sales_date = d.sales_date AND i.rev_sales = 0;
    INSERT INTO kpi.amount_day AS a
      SELECT sales_date, amount, sum(sign) FROM kpi_ch
      WHERE status IN ('completed', 'returned') GROUP BY 1, 2
    ON CONFLICT (sales_date, amount) DO UPDATE SET n = a.n + excluded.n;
    DELETE FROM kpi.amount_day a USING kpi_dates d WHERE a.sales_date = d.sales_date AND a.n = 0;
    INSERT INTO kpi.quantity_day AS q
      SELECT sales_date, quantity, sum(sign) FROM kpi_ch
      WHERE status IN ('completed', 'returned') GROUP BY 1, 2
    ON CONFLICT (sales_date, quantity) DO UPDATE SET n = q.n + excluded.n;
    DELETE FROM kpi.quantity_day q USING kpi_dates d
      WHERE q.sales_date = d.sales_date AND q.n = 0;

    -- product x day (x category at sale): exact deltas, distinct orders as for customers
    CREATE TEMP TABLE kpi_po ON COMMIT DROP AS
      SELECT sales_date, product_id, coalesce(category, '') AS category, order_key,
             sum(sign)::bigint AS d
      FROM kpi_ch WHERE status = 'completed' AND product_id IS NOT NULL
      GROUP BY 1, 2, 3, 4 HAVING sum(sign) <> 0;
    ANALYZE kpi_po;
    CREATE TEMP TABLE kpi_po_orders ON COMMIT DROP AS
      SELECT k.sales_date, k.product_id, k.category,
             sum((coalesce(o.n, 0) + k.d > 0)::int - (coalesce(o.n, 0) > 0)::int) AS orders
      FROM kpi_po k
      LEFT JOIN kpi.product_order o
        ON o.sales_date = k.sales_date AND o.product_id = k.product_id
       AND o.category = k.category AND o.order_key = k.order_key
      GROUP BY 1, 2, 3;
    INSERT INTO kpi.product_order AS o
      SELECT sales_date, product_id, category, order_key, d FROM kpi_po
    ON CONFLICT (sales_date, product_id, category, order_key) DO UPDATE SET n = o.n + excluded.n;
    DELETE FROM kpi.product_order o USING kpi_po k
      WHERE o.sales_date = k.sales_date AND o.product_id = k.product_id
        AND o.category = k.category AND o.order_key = k.order_key AND o.n = 0;
    CREATE TEMP TABLE kpi_pd_diff ON COMMIT DROP AS
      SELECT d.sales_date, d.product_id, d.category, d.sales, d.revenue, d.units,
             coalesce(o.orders, 0) AS orders, d.rev_n, d.revenue AS rev_sum, d.rev_sumsq
      FROM (SELECT sales_date, product_id, coalesce(category, '') AS category,
                   sum(sign) AS sales,
                   coalesce(sum(sign * amount) FILTER (WHERE status IN ('completed', 'returned')),
                            0) AS revenue,
                   coalesce(sum(sign * quantity::numeric) FILTER (WHERE status = 'completed'), 0)
                     AS units,
                   coalesce(sum(sign) FILTER (WHERE status IN ('completed', 'returned')), 0)
                     AS rev_n,
                   coalesce(sum(sign * amount * amount)
                              FILTER (WHERE status IN ('completed', 'returned')), 0) AS rev_sumsq
            FROM kpi_ch WHERE product_id IS NOT NULL GROUP BY 1, 2, 3) d
      LEFT JOIN kpi_po_orders o
        ON o.sales_date = d.sales_date AND o.product_id = d.product_id
       AND o.category = d.category;
    INSERT INTO kpi.product_day AS p
      SELECT sales_date, product_id, category, sales, revenue, units, orders, rev_n, rev_sum,
             rev_sumsq
      FROM kpi_pd_diff
    ON CONFLICT (sales_date, product_id, category) DO UPDATE SET
      sales = p.sales + excluded.sales, revenue = p.revenue + excluded.revenue,
      units = p.units + excluded.units, orders = p.orders + excluded.orders,
      rev_n = p.rev_n + excluded.rev_n, rev_sum = p.rev_sum + excluded.rev_sum,
      rev_sumsq = p.rev_sumsq + excluded.rev_sumsq;
    DELETE FROM kpi.product_day p USING kpi_pd_diff k
      WHERE p.sales_date = k.sales_date AND p.product_id = k.product_id
        AND p.category = k.category AND p.sales = 0;

    DELETE FROM kpi.sales_changes WHERE id <= hi;
  END IF;

  SELECT max(id) INTO thi FROM kpi.traffic_changes;
  IF thi IS NOT NULL THEN
    CREATE TEMP TABLE kpi_tch ON COMMIT DROP AS
      SELECT * FROM kpi.traffic_changes WHERE id <= thi;
    n := n + (SELECT count(*) FROM kpi_tch);
    INSERT INTO kpi.traffic_month AS m
      SELECT date_trunc('month', send_date)::date, customer_id, channel_id, sum(sign),
             sum(sign * revenue_eur)
      FROM kpi_tch GROUP BY 1, 2, 3
    ON CONFLICT (month, customer_id, channel_id) DO UPDATE SET
      rows = m.rows + excluded.rows, revenue = m.revenue + excluded.revenue;
    DELETE FROM kpi.traffic_month m USING (SELECT DISTINCT date_trunc('month', send_date)::date
        AS month, customer_id, channel_id FROM kpi_tch) k
      WHERE m.month = k.month AND m.customer_id = k.customer_id
        AND m.channel_id = k.channel_id AND m.rows = 0;
    -- a pair's first send_date: the earliest new row moves it earlier; a row taken away on that
    -- date (traffic facts are upserted, so hardly ever) makes it re-read from that pair's facts
    INSERT INTO kpi.traffic_pair AS p
      SELECT customer_id, channel_id, min(send_date) FROM kpi_tch WHERE sign > 0 GROUP BY 1, 2
    ON CONFLICT (customer_id, channel_id) DO UPDATE SET
      first_send_date = least(p.first_send_date, excluded.first_send_date);
    UPDATE kpi.traffic_pair p SET first_send_date = coalesce(
        (SELECT min(t.send_date) FROM dw.fact_traffic t
         WHERE t.customer_id = p.customer_id AND t.channel_id = p.channel_id), p.first_send_date)
      FROM (SELECT DISTINCT customer_id, channel_id, send_date FROM kpi_tch WHERE sign < 0) r
      WHERE r.customer_id = p.customer_id AND r.channel_id = p.channel_id
        AND r.send_date = p.first_send_date;
    DELETE FROM kpi.traffic_pair p
      USING (SELECT DISTINCT customer_id, channel_id FROM kpi_tch WHERE sign < 0) r
      WHERE r.customer_id = p.customer_id AND r.channel_id = p.channel_id
        AND NOT EXISTS (SELECT 1 FROM kpi.traffic_month m
                        WHERE m.customer_id = p.customer_id AND m.channel_id = p.channel_id);
    DELETE FROM kpi.traffic_changes WHERE id <= thi;
  END IF;
  RETURN n;
END $$;

-- The writer role gets the two new tables through V60's default privileges on schema kpi.
