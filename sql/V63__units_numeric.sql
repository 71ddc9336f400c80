-- Units and quantity statistics beyond 64 bits (issue 14). A sale's quantity is valid up to
-- 2^63 − 1 (SPEC §2), so two such sales of one day already overflow a bigint sum: the KPI state's
-- units and the marts daily_sales, monthly_sales and product_performance hold numeric now, and the
-- quantity statistics (numeric_stats min … q3, the IQR anomalies' value and fences) get room for
-- 64-bit values and their spread (their scales stay as they were, so stored values read the same).
--
-- kpi.fold() needs no change: its sums of units were numeric already and only the columns cut them
-- back to bigint.

ALTER TABLE kpi.customer_day ALTER COLUMN units TYPE numeric;
ALTER TABLE kpi.customer_month ALTER COLUMN units TYPE numeric;
ALTER TABLE kpi.customer_total ALTER COLUMN units TYPE numeric;
ALTER TABLE kpi.sales_day ALTER COLUMN units TYPE numeric;
ALTER TABLE kpi.product_day ALTER COLUMN units TYPE numeric;

-- A column type cannot change under a view: the views over these marts (V5, V41, V60) are dropped
-- and created again as they were.
DROP VIEW share.daily_sales, share.monthly_sales, share.product_performance, share.numeric_stats,
          share.anomalies;
DROP VIEW mart.daily_sales_latest, mart.monthly_sales_latest, mart.product_performance_latest,
          mart.numeric_stats_latest, mart.anomalies_latest;

ALTER TABLE mart.daily_sales ALTER COLUMN units TYPE numeric(38, 0);
ALTER TABLE mart.monthly_sales ALTER COLUMN units TYPE numeric(38, 0);
ALTER TABLE mart.product_performance ALTER COLUMN units TYPE numeric(38, 0);
ALTER TABLE mart.numeric_stats
  ALTER COLUMN min TYPE numeric(30, 4), ALTER COLUMN max TYPE numeric(30, 4),
  ALTER COLUMN mean TYPE numeric(30, 6), ALTER COLUMN median TYPE numeric(30, 6),
  ALTER COLUMN stddev TYPE numeric(30, 6), ALTER COLUMN q1 TYPE numeric(30, 6),
  ALTER COLUMN q3 TYPE numeric(30, 6);
ALTER TABLE mart.anomalies
  ALTER COLUMN value TYPE numeric(30, 4), ALTER COLUMN lower_bound TYPE numeric(30, 6),
  ALTER COLUMN upper_bound TYPE numeric(30, 6);

CREATE VIEW mart.daily_sales_latest AS
  SELECT * FROM mart.daily_sales WHERE as_of = (SELECT max(as_of) FROM mart.daily_sales);
CREATE VIEW mart.monthly_sales_latest AS
  SELECT * FROM mart.monthly_sales WHERE as_of = (SELECT max(as_of) FROM mart.monthly_sales);
CREATE VIEW mart.product_performance_latest AS
  SELECT * FROM mart.product_performance WHERE as_of = (SELECT max(as_of) FROM mart.product_performance);
CREATE VIEW mart.numeric_stats_latest AS
  SELECT * FROM mart.numeric_stats WHERE as_of = (SELECT max(as_of) FROM mart.numeric_stats);
CREATE VIEW mart.anomalies_latest AS
  SELECT * FROM mart.anomalies WHERE as_of = (SELECT max(as_of) FROM mart.anomalies);

CREATE VIEW share.daily_sales AS SELECT * FROM mart.daily_sales;
CREATE VIEW share.monthly_sales AS SELECT * FROM mart.monthly_sales;
CREATE VIEW share.product_performance AS SELECT * FROM mart.product_performance;
CREATE VIEW share.numeric_stats AS SELECT * FROM mart.numeric_stats;
CREATE VIEW share.anomalies AS
SELECT m.as_of, share.hash_with(k.key, m.transaction_id) AS transaction_key, m.method,
       m.product_id, share.hash_with(k.key, m.customer_id) AS customer_key, m.value,
       m.lower_bound, m.upper_bound, m.score
FROM mart.anomalies m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

-- The grants V60 gives every view of these schemas, whoever migrates (default privileges belong to
-- the user who set them).
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON mart.daily_sales_latest,
  mart.monthly_sales_latest, mart.product_performance_latest, mart.numeric_stats_latest,
  mart.anomalies_latest TO c360_writer;
GRANT SELECT ON mart.daily_sales_latest, mart.monthly_sales_latest,
  mart.product_performance_latest, mart.numeric_stats_latest, mart.anomalies_latest TO c360_reader;
GRANT SELECT ON share.daily_sales, share.monthly_sales, share.product_performance,
  share.numeric_stats, share.anomalies TO c360_reader, c360_partner;
