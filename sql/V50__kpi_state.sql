-- Incremental KPI state (SPEC §4 for any asOf, at the cost of the day, not of the history).
--
-- Every write to dw.fact_sales / dw.fact_traffic (the fact load's upserts and moves, resolved
-- pending rows, SCD2 re-pointing, anything else) is logged by statement triggers into
-- kpi.*_changes: the old row with sign -1, the new row with sign +1. kpi.fold() consumes that log
-- in one transaction and brings compact aggregates up to date:
--   customer_day / customer_month / customer_total   per customer (sums, orders, categories)
--   sales_day                                        per date (daily_sales)
--   industry_day                                     per date and industry at sale time
--   product_day                                      per date, product and category at sale time
--   amount_day / quantity_day                        value histograms (numeric_stats, IQR)
--   traffic_month / traffic_pair                     per customer x channel
--   order_span                                       orders split over dates or customers
-- Buckets that need distinct counts (customer_day, product_day) are recomputed from the facts of
-- the dirty keys only; everything else moves by exact deltas. The KPI stage then reads
-- these tables for D and never reads the facts of the whole history (docs/DECISIONS.md, "KPI
-- state").
--
-- A fact carries the attributes it is counted under (the customer's industry and the product's
-- category of its version at sale time), so the log's old row says exactly what the state holds.
ALTER TABLE dw.fact_sales ADD COLUMN industry_at_sale text, ADD COLUMN category_at_sale text;
UPDATE dw.fact_sales f SET industry_at_sale = c.industry
FROM dw.dim_customer c WHERE c.customer_sk = f.customer_sk;
UPDATE dw.fact_sales f SET category_at_sale = p.category
FROM dw.dim_product p WHERE p.product_sk = f.product_sk;
-- Tails of the per-sale distributions (anomalies) are found by index, not by a window scan.
CREATE INDEX fact_sales_quantity_idx ON dw.fact_sales (quantity);
CREATE INDEX fact_sales_product_amount_idx ON dw.fact_sales (product_id, amount);
-- The lines of one order (order_id, else the transaction): finds orders that span dates.
CREATE INDEX fact_sales_order_key_idx ON dw.fact_sales ((coalesce(order_id, transaction_id)));

CREATE SCHEMA kpi;

CREATE TABLE kpi.sales_changes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sign        smallint NOT NULL,
  customer_id text     NOT NULL,
  product_id  text,
  sales_date  date     NOT NULL,
  status      text     NOT NULL,
  quantity    bigint   NOT NULL,
  amount      numeric(18, 4) NOT NULL,
  industry    text,
  order_key   text     NOT NULL
);
CREATE TABLE kpi.traffic_changes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sign        smallint NOT NULL,
  customer_id text     NOT NULL,
  channel_id  text     NOT NULL,
  send_date   date     NOT NULL,
  revenue_eur numeric(18, 4) NOT NULL
);

-- Per customer and sales date: sales = rows (any status), completed = completed rows, rev_sales =
-- completed or returned rows, revenue = their amount, orders = distinct order keys of completed
-- rows that date, categories = revenue by category at sale time.
CREATE TABLE kpi.customer_day (
  sales_date  date   NOT NULL,
  customer_id text   NOT NULL,
  sales       bigint NOT NULL,
  completed   bigint NOT NULL,
  rev_sales   bigint NOT NULL,
  revenue     numeric NOT NULL,
  units       bigint NOT NULL,
  orders      bigint NOT NULL,
  categories  jsonb  NOT NULL,
  PRIMARY KEY (sales_date, customer_id)
);
CREATE INDEX customer_day_completed_idx ON kpi.customer_day (customer_id, sales_date)
  WHERE completed > 0;
CREATE TABLE kpi.customer_month (
  month       date   NOT NULL,
  customer_id text   NOT NULL,
  sales       bigint NOT NULL,
  completed   bigint NOT NULL,
  rev_sales   bigint NOT NULL,
  revenue     numeric NOT NULL,
  units       bigint NOT NULL,
  orders      bigint NOT NULL,
  categories  jsonb  NOT NULL,
  PRIMARY KEY (month, customer_id)
);
CREATE TABLE kpi.customer_total (
  customer_id     text PRIMARY KEY,
  sales           bigint NOT NULL,
  completed       bigint NOT NULL,
  rev_sales       bigint NOT NULL,
  revenue         numeric NOT NULL,
  units           bigint NOT NULL,
  orders          bigint NOT NULL,
  categories      jsonb  NOT NULL,
  first_completed date,
  last_completed  date
);
CREATE TABLE kpi.sales_day (
  sales_date date PRIMARY KEY,
  sales      bigint  NOT NULL,
  revenue    numeric NOT NULL,
  orders     bigint  NOT NULL,
  customers  bigint  NOT NULL,
  units      bigint  NOT NULL
);
CREATE TABLE kpi.industry_day (
  sales_date date    NOT NULL,
  industry   text    NOT NULL,   -- 'Unknown' when the version has none
  revenue    numeric NOT NULL,
  rev_sales  bigint  NOT NULL,
  PRIMARY KEY (sales_date, industry)
);
-- category '' = no product version (a sale without product); rev_n/rev_sum/rev_sumsq are the
-- moments of the amounts of completed or returned sales (z-scores per product).
CREATE TABLE kpi.product_day (
  sales_date date    NOT NULL,
  product_id text    NOT NULL,
  category   text    NOT NULL,
  sales      bigint  NOT NULL,
  revenue    numeric NOT NULL,
  units      bigint  NOT NULL,
  orders     bigint  NOT NULL,
  rev_n      bigint  NOT NULL,
  rev_sum    numeric NOT NULL,
  rev_sumsq  numeric NOT NULL,
  PRIMARY KEY (sales_date, product_id, category)
);
-- Orders (order_id, else transaction_id) whose completed lines fall on more than one date or
-- belong to more than one customer: the buckets count an order once per customer and date, and the
-- marts take off the extra dates and customers of these few.
CREATE TABLE kpi.order_span (
  order_key  text PRIMARY KEY,
  first_date date NOT NULL,
  last_date  date NOT NULL
);
CREATE INDEX order_span_dates_idx ON kpi.order_span (first_date, last_date);
CREATE TABLE kpi.amount_day (
  sales_date date NOT NULL, amount numeric NOT NULL, n bigint NOT NULL,
  PRIMARY KEY (sales_date, amount)
);
CREATE TABLE kpi.quantity_day (
  sales_date date NOT NULL, quantity bigint NOT NULL, n bigint NOT NULL,
  PRIMARY KEY (sales_date, quantity)
);
CREATE TABLE kpi.traffic_month (
  month       date    NOT NULL,
  customer_id text    NOT NULL,
  channel_id  text    NOT NULL,
  rows        bigint  NOT NULL,
  revenue     numeric NOT NULL,
  PRIMARY KEY (month, customer_id, channel_id)
);
CREATE INDEX traffic_month_pair_idx ON kpi.traffic_month (customer_id, channel_id);
-- Pairs with any traffic, and the first send_date: traffic_revenue_by_period's population.
CREATE TABLE kpi.traffic_pair (
  customer_id     text NOT NULL,
  channel_id      text NOT NULL,
  first_send_date date NOT NULL,
  PRIMARY KEY (customer_id, channel_id)
);

-- jsonb maps of numbers: a + b per key, keys that net to zero dropped.
CREATE FUNCTION kpi.jsonb_add(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(k, v), '{}'::jsonb)
  FROM (SELECT k, sum(v) AS v
        FROM (SELECT key AS k, value::numeric AS v FROM jsonb_each_text(coalesce(a, '{}'))
              UNION ALL
              SELECT key, value::numeric FROM jsonb_each_text(coalesce(b, '{}'))) x
        GROUP BY k HAVING sum(v) <> 0) y
$$;
CREATE FUNCTION kpi.jsonb_neg(a jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(jsonb_object_agg(key, -(value::numeric)), '{}'::jsonb)
  FROM jsonb_each_text(coalesce(a, '{}'))
$$;
CREATE AGGREGATE kpi.jsonb_sum(jsonb) (SFUNC = kpi.jsonb_add, STYPE = jsonb, INITCOND = '{}');

-- The change log: statement triggers with transition tables see every row of a statement at once.
CREATE FUNCTION kpi.log_sales_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi.sales_changes (sign, customer_id, product_id, sales_date, status, quantity,
                                 amount, industry, order_key)
  SELECT 1, customer_id, product_id, sales_date, status, quantity, amount, industry_at_sale,
         coalesce(order_id, transaction_id)
  FROM new_rows;
  RETURN NULL;
END $$;
CREATE FUNCTION kpi.log_sales_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi.sales_changes (sign, customer_id, product_id, sales_date, status, quantity,
                                 amount, industry, order_key)
  SELECT -1, customer_id, product_id, sales_date, status, quantity, amount, industry_at_sale,
         coalesce(order_id, transaction_id)
  FROM old_rows;
  RETURN NULL;
END $$;
CREATE FUNCTION kpi.log_sales_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi.sales_changes (sign, customer_id, product_id, sales_date, status, quantity,
                                 amount, industry, order_key)
  SELECT -1, customer_id, product_id, sales_date, status, quantity, amount, industry_at_sale,
         coalesce(order_id, transaction_id)
  FROM old_rows
  UNION ALL
  SELECT 1, customer_id, product_id, sales_date, status, quantity, amount, industry_at_sale,
         coalesce(order_id, transaction_id)
  FROM new_rows;
  RETURN NULL;
END $$;
CREATE TRIGGER fact_sales_log_insert AFTER INSERT ON dw.fact_sales
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi.log_sales_new();
CREATE TRIGGER fact_sales_log_update AFTER UPDATE ON dw.fact_sales
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi.log_sales_update();
CREATE TRIGGER fact_sales_log_delete AFTER DELETE ON dw.fact_sales
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi.log_sales_old();

-- TRUNCATE logs no rows: the state of an emptied fact table is empty too.
CREATE FUNCTION kpi.clear_sales_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE kpi.sales_changes, kpi.customer_day, kpi.customer_month, kpi.customer_total,
           kpi.sales_day, kpi.industry_day, kpi.product_day, kpi.order_span, kpi.amount_day,
           kpi.quantity_day;
  RETURN NULL;
END $$;
CREATE TRIGGER fact_sales_clear AFTER TRUNCATE ON dw.fact_sales
  FOR EACH STATEMENT EXECUTE FUNCTION kpi.clear_sales_state();

CREATE FUNCTION kpi.log_traffic_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi.traffic_changes (sign, customer_id, channel_id, send_date, revenue_eur)
  SELECT 1, customer_id, channel_id, send_date, revenue_eur FROM new_rows;
  RETURN NULL;
END $$;
CREATE FUNCTION kpi.log_traffic_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi.traffic_changes (sign, customer_id, channel_id, send_date, revenue_eur)
  SELECT -1, customer_id, channel_id, send_date, revenue_eur FROM old_rows;
  RETURN NULL;
END $$;
CREATE FUNCTION kpi.log_traffic_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO kpi.traffic_changes (sign, customer_id, channel_id, send_date, revenue_eur)
  SELECT -1, customer_id, channel_id, send_date, revenue_eur FROM old_rows
  UNION ALL
  SELECT 1, customer_id, channel_id, send_date, revenue_eur FROM new_rows;
  RETURN NULL;
END $$;
CREATE TRIGGER fact_traffic_log_insert AFTER INSERT ON dw.fact_traffic
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi.log_traffic_new();
CREATE TRIGGER fact_traffic_log_update AFTER UPDATE ON dw.fact_traffic
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION kpi.log_traffic_update();
CREATE TRIGGER fact_traffic_log_delete AFTER DELETE ON dw.fact_traffic
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION kpi.log_traffic_old();

CREATE FUNCTION kpi.clear_traffic_state() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE kpi.traffic_changes, kpi.traffic_month, kpi.traffic_pair;
  RETURN NULL;
END $$;
CREATE TRIGGER fact_traffic_clear AFTER TRUNCATE ON dw.fact_traffic
  FOR EACH STATEMENT EXECUTE FUNCTION kpi.clear_traffic_state();

-- Folds every logged change into the state, in one transaction with consuming the log, so a fold
-- that fails leaves both as they were and the next run folds the same changes. Returns the number
-- of change rows folded.
CREATE FUNCTION kpi.fold() RETURNS bigint LANGUAGE plpgsql AS $$
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

    -- customer x day: recomputed from the facts of the dirty keys
    CREATE TEMP TABLE kpi_cd_keys ON COMMIT DROP AS
      SELECT DISTINCT customer_id, sales_date FROM kpi_ch;
    ANALYZE kpi_cd_keys;
    CREATE TEMP TABLE kpi_cd_new ON COMMIT DROP AS
      SELECT k.customer_id, k.sales_date,
             count(f.transaction_id) AS sales,
             count(*) FILTER (WHERE f.status = 'completed') AS completed,
             count(*) FILTER (WHERE f.status IN ('completed', 'returned')) AS rev_sales,
             coalesce(sum(f.amount) FILTER (WHERE f.status IN ('completed', 'returned')), 0)
               AS revenue,
             coalesce(sum(f.quantity) FILTER (WHERE f.status = 'completed'), 0) AS units,
             count(DISTINCT coalesce(f.order_id, f.transaction_id))
               FILTER (WHERE f.status = 'completed') AS orders,
             coalesce((SELECT jsonb_object_agg(c, v) FROM (
                 SELECT g.category_at_sale AS c, sum(g.amount) AS v FROM dw.fact_sales g
                 WHERE g.customer_id = k.customer_id AND g.sales_date = k.sales_date
                   AND g.status IN ('completed', 'returned') AND g.category_at_sale IS NOT NULL
                 GROUP BY 1 HAVING sum(g.amount) <> 0) x), '{}'::jsonb) AS categories
      FROM kpi_cd_keys k
      LEFT JOIN dw.fact_sales f ON f.customer_id = k.customer_id AND f.sales_date = k.sales_date
      GROUP BY k.customer_id, k.sales_date;
    -- new minus old, per dirty key
    CREATE TEMP TABLE kpi_cd_diff ON COMMIT DROP AS
      SELECT n.customer_id, n.sales_date, date_trunc('month', n.sales_date)::date AS month,
             n.sales - coalesce(o.sales, 0) AS sales,
             n.completed - coalesce(o.completed, 0) AS completed,
             n.rev_sales - coalesce(o.rev_sales, 0) AS rev_sales,
             n.revenue - coalesce(o.revenue, 0) AS revenue,
             n.units - coalesce(o.units, 0) AS units,
             n.orders - coalesce(o.orders, 0) AS orders,
             CASE WHEN o.categories IS NULL THEN n.categories
                  ELSE kpi.jsonb_add(n.categories, kpi.jsonb_neg(o.categories)) END AS categories,
             (n.completed > 0)::int - (coalesce(o.completed, 0) > 0)::int AS buyers
      FROM kpi_cd_new n
      LEFT JOIN kpi.customer_day o
        ON o.customer_id = n.customer_id AND o.sales_date = n.sales_date;
    DELETE FROM kpi.customer_day o USING kpi_cd_keys k
      WHERE o.customer_id = k.customer_id AND o.sales_date = k.sales_date;
    INSERT INTO kpi.customer_day
      SELECT sales_date, customer_id, sales, completed, rev_sales, revenue, units, orders,
             categories
      FROM kpi_cd_new WHERE sales > 0;

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
      categories = kpi.jsonb_add(m.categories, excluded.categories);
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
      categories = kpi.jsonb_add(t.categories, excluded.categories);
    UPDATE kpi.customer_total t SET
      first_completed = (SELECT min(d.sales_date) FROM kpi.customer_day d
                         WHERE d.customer_id = t.customer_id AND d.completed > 0),
      last_completed = (SELECT max(d.sales_date) FROM kpi.customer_day d
                        WHERE d.customer_id = t.customer_id AND d.completed > 0)
    WHERE t.customer_id IN (SELECT DISTINCT customer_id FROM kpi_cd_keys);
    DELETE FROM kpi.customer_total
      WHERE sales = 0 AND customer_id IN (SELECT DISTINCT customer_id FROM kpi_cd_keys);

    -- per date: the customer days' differences (orders are counted per customer; the reads take
    -- off orders that several customers share)
    CREATE TEMP TABLE kpi_dates ON COMMIT DROP AS SELECT DISTINCT sales_date FROM kpi_ch;
    ANALYZE kpi_dates;
    INSERT INTO kpi.sales_day AS s
      SELECT sales_date, sum(sales), sum(revenue), sum(orders), sum(buyers), sum(units)
      FROM kpi_cd_diff GROUP BY sales_date
    ON CONFLICT (sales_date) DO UPDATE SET
      sales = s.sales + excluded.sales, revenue = s.revenue + excluded.revenue,
      orders = s.orders + excluded.orders, customers = s.customers + excluded.customers,
      units = s.units + excluded.units;
    DELETE FROM kpi.sales_day s USING kpi_dates d WHERE s.sales_date = d.sales_date AND s.sales = 0;

    -- orders split over dates or customers, for the dirty order keys
    CREATE TEMP TABLE kpi_orders ON COMMIT DROP AS SELECT DISTINCT order_key FROM kpi_ch;
    ANALYZE kpi_orders;
    DELETE FROM kpi.order_span s USING kpi_orders k WHERE s.order_key = k.order_key;
    INSERT INTO kpi.order_span
      SELECT k.order_key, min(f.sales_date), max(f.sales_date)
      FROM kpi_orders k
      JOIN dw.fact_sales f ON coalesce(f.order_id, f.transaction_id) = k.order_key
      WHERE f.status = 'completed'
      GROUP BY k.order_key
      HAVING min(f.sales_date) < max(f.sales_date) OR min(f.customer_id) < max(f.customer_id);

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

    -- product x day: recomputed from the facts of the dirty keys
    CREATE TEMP TABLE kpi_pd_keys ON COMMIT DROP AS
      SELECT DISTINCT product_id, sales_date FROM kpi_ch WHERE product_id IS NOT NULL;
    ANALYZE kpi_pd_keys;
    DELETE FROM kpi.product_day p USING kpi_pd_keys k
      WHERE p.product_id = k.product_id AND p.sales_date = k.sales_date;
    INSERT INTO kpi.product_day
      SELECT f.sales_date, f.product_id, coalesce(f.category_at_sale, ''), count(*),
             coalesce(sum(f.amount) FILTER (WHERE f.status IN ('completed', 'returned')), 0),
             coalesce(sum(f.quantity) FILTER (WHERE f.status = 'completed'), 0),
             count(DISTINCT coalesce(f.order_id, f.transaction_id))
               FILTER (WHERE f.status = 'completed'),
             count(*) FILTER (WHERE f.status IN ('completed', 'returned')),
             coalesce(sum(f.amount) FILTER (WHERE f.status IN ('completed', 'returned')), 0),
             coalesce(sum(f.amount * f.amount)
                        FILTER (WHERE f.status IN ('completed', 'returned')), 0)
      FROM kpi_pd_keys k
      JOIN dw.fact_sales f ON f.product_id = k.product_id AND f.sales_date = k.sales_date
      GROUP BY 1, 2, 3;

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

-- The pipeline's role keeps the state (the triggers run as the writer of the facts).
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'c360_writer') THEN
    GRANT USAGE ON SCHEMA kpi TO c360_writer;
    GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA kpi TO c360_writer;
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA kpi TO c360_writer;
  END IF;
END $$;

-- The facts already in the warehouse are the first changes: the next fold builds the state.
INSERT INTO kpi.sales_changes (sign, customer_id, product_id, sales_date, status, quantity, amount,
                               industry, order_key)
  SELECT 1, customer_id, product_id, sales_date, status, quantity, amount, industry_at_sale,
         coalesce(order_id, transaction_id)
  FROM dw.fact_sales;
INSERT INTO kpi.traffic_changes (sign, customer_id, channel_id, send_date, revenue_eur)
  SELECT 1, customer_id, channel_id, send_date, revenue_eur FROM dw.fact_traffic;
