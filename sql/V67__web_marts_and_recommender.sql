-- Marts of SPEC §8 (web funnel, campaign attribution, inventory health) and §9 (next best category,
-- and the recommender's evaluation). The first four are replaced for their as_of in the KPI stage's
-- one transaction with the marts of §4 (transforms/kpi MartTable declares them; MartTableDdlIT
-- holds the two together). mart.recommender_eval is written by `c360 recommend-eval` only.

CREATE TABLE mart.funnel_daily (
  as_of date NOT NULL, event_date date NOT NULL,
  sessions bigint NOT NULL, product_views bigint NOT NULL, add_to_cart bigint NOT NULL,
  checkouts bigint NOT NULL, purchases bigint NOT NULL,
  view_to_cart_pct numeric(20, 4), cart_to_purchase_pct numeric(20, 4),
  PRIMARY KEY (as_of, event_date)
);

CREATE TABLE mart.campaign_performance (
  as_of date NOT NULL, campaign_id text NOT NULL, campaign_name text NOT NULL,
  sessions bigint NOT NULL, customers_reached bigint NOT NULL,
  attributed_orders bigint NOT NULL, attributed_revenue numeric(20, 4) NOT NULL,
  budget_eur numeric(20, 4), roas numeric(20, 6),
  PRIMARY KEY (as_of, campaign_id)
);

CREATE TABLE mart.inventory_health (
  as_of date NOT NULL, product_id text NOT NULL, category text,
  on_hand numeric, units_sold_30d numeric NOT NULL, days_of_cover numeric(20, 4),
  stockout_shop_days_30d bigint NOT NULL, turnover_12m numeric(20, 6),
  PRIMARY KEY (as_of, product_id)
);

CREATE TABLE mart.next_best_category (
  as_of date NOT NULL, customer_id text NOT NULL, rank integer NOT NULL CHECK (rank BETWEEN 1 AND 3),
  category text NOT NULL, score numeric(20, 6) NOT NULL,
  PRIMARY KEY (as_of, customer_id, rank)
);

-- hit rates are shares 0–1 (null when no customer had recommendations as of D − 30 days)
CREATE TABLE mart.recommender_eval (
  as_of date NOT NULL PRIMARY KEY, customers bigint NOT NULL,
  hit_rate_at_3 numeric(20, 6), baseline_hit_rate_at_3 numeric(20, 6)
);

CREATE VIEW mart.funnel_daily_latest AS
  SELECT * FROM mart.funnel_daily WHERE as_of = (SELECT max(as_of) FROM mart.funnel_daily);
CREATE VIEW mart.campaign_performance_latest AS
  SELECT * FROM mart.campaign_performance WHERE as_of = (SELECT max(as_of) FROM mart.campaign_performance);
CREATE VIEW mart.inventory_health_latest AS
  SELECT * FROM mart.inventory_health WHERE as_of = (SELECT max(as_of) FROM mart.inventory_health);
CREATE VIEW mart.next_best_category_latest AS
  SELECT * FROM mart.next_best_category WHERE as_of = (SELECT max(as_of) FROM mart.next_best_category);

-- Share views (SPEC §6): no customer identifier leaves as is.
CREATE VIEW share.funnel_daily AS SELECT * FROM mart.funnel_daily;
CREATE VIEW share.campaign_performance AS SELECT * FROM mart.campaign_performance;
CREATE VIEW share.inventory_health AS SELECT * FROM mart.inventory_health;
CREATE VIEW share.recommender_eval AS SELECT * FROM mart.recommender_eval;
CREATE VIEW share.next_best_category AS
SELECT m.as_of, share.hash_with(k.key, m.customer_id) AS customer_key, m.rank, m.category, m.score
FROM mart.next_best_category m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;

-- Grants as V60 gives them, whoever migrates (default privileges belong to the user who set them).
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON mart.funnel_daily, mart.campaign_performance,
  mart.inventory_health, mart.next_best_category, mart.recommender_eval TO c360_writer;
GRANT SELECT ON mart.funnel_daily, mart.campaign_performance, mart.inventory_health,
  mart.next_best_category, mart.recommender_eval, mart.funnel_daily_latest,
  mart.campaign_performance_latest, mart.inventory_health_latest, mart.next_best_category_latest
  TO c360_reader;
GRANT SELECT ON share.funnel_daily, share.campaign_performance, share.inventory_health,
  share.recommender_eval, share.next_best_category TO c360_reader, c360_partner;
