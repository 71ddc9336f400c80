-- mart: KPIs for an as_of date (SPEC §4). Each table is replaced for one as_of in one transaction
-- (DELETE … WHERE as_of = D; INSERT …), so a reader sees the old or the new content, never a mix.
CREATE TABLE mart.customer_ytd_spending (
  as_of date NOT NULL, customer_id text NOT NULL, ytd_spending numeric(20, 4) NOT NULL,
  PRIMARY KEY (as_of, customer_id)
);
CREATE TABLE mart.customer_days_since_last_purchase (
  as_of date NOT NULL, customer_id text NOT NULL, last_purchase_date date,
  days_since_last_purchase integer,
  PRIMARY KEY (as_of, customer_id)
);
CREATE TABLE mart.customer_revenue_by_period (
  as_of date NOT NULL, customer_id text NOT NULL,
  revenue_mtd numeric(20, 4) NOT NULL, revenue_last_month numeric(20, 4) NOT NULL,
  revenue_last_quarter numeric(20, 4) NOT NULL, revenue_quarter_before numeric(20, 4) NOT NULL,
  revenue_ytd numeric(20, 4) NOT NULL, revenue_increase_pct_qoq numeric(20, 4),
  PRIMARY KEY (as_of, customer_id)
);
CREATE TABLE mart.customer_360 (
  as_of date NOT NULL, customer_id text NOT NULL,
  account_id text, name text, email text, city text, country text, segment text, industry text,
  created_date date,
  first_purchase_date date, last_purchase_date date,
  orders bigint NOT NULL, lifetime_revenue numeric(20, 4) NOT NULL, avg_order_value numeric(20, 4),
  apps_and_games_amount numeric(20, 4) NOT NULL,
  beauty_amount numeric(20, 4) NOT NULL,
  books_amount numeric(20, 4) NOT NULL,
  clothing_shoes_and_accessories_amount numeric(20, 4) NOT NULL,
  kitchen_amount numeric(20, 4) NOT NULL,
  movies_and_tv_amount numeric(20, 4) NOT NULL,
  sports_fitness_and_outdoors_amount numeric(20, 4) NOT NULL,
  customer_type text NOT NULL CHECK (customer_type IN ('new', 'returning')),
  churn_risk text NOT NULL CHECK (churn_risk IN ('high', 'medium', 'low')),
  PRIMARY KEY (as_of, customer_id)
);
CREATE TABLE mart.industry_exposure (
  as_of date NOT NULL, industry text NOT NULL, revenue numeric(20, 4) NOT NULL,
  share numeric(20, 6), rank integer NOT NULL,
  PRIMARY KEY (as_of, industry)
);
CREATE TABLE mart.segment_share (
  as_of date NOT NULL, segment text NOT NULL, customers bigint NOT NULL,
  share_pct numeric(20, 4) NOT NULL,
  PRIMARY KEY (as_of, segment)
);
CREATE TABLE mart.segment_changes_12m (
  as_of date NOT NULL, customer_id text NOT NULL, change_date date NOT NULL,
  changed_at timestamptz NOT NULL, old_segment text, new_segment text,
  PRIMARY KEY (as_of, customer_id, changed_at)
);
CREATE TABLE mart.top_customers (
  as_of date NOT NULL, rank integer NOT NULL, customer_id text NOT NULL,
  revenue numeric(20, 4) NOT NULL,
  PRIMARY KEY (as_of, rank)
);
CREATE TABLE mart.consistent_top_customers (
  as_of date NOT NULL, customer_id text NOT NULL, revenue numeric(20, 4) NOT NULL,
  rank integer NOT NULL,
  PRIMARY KEY (as_of, customer_id)
);
CREATE TABLE mart.numeric_stats (
  as_of date NOT NULL, metric text NOT NULL, n bigint NOT NULL,
  min numeric(20, 4), max numeric(20, 4), mean numeric(20, 6), median numeric(20, 6),
  stddev numeric(20, 6), q1 numeric(20, 6), q3 numeric(20, 6),
  PRIMARY KEY (as_of, metric)
);
CREATE TABLE mart.customer_value_band (
  as_of date NOT NULL, customer_id text NOT NULL, revenue_12m numeric(20, 4) NOT NULL,
  band text NOT NULL CHECK (band IN ('Low', 'Mid', 'High')),
  PRIMARY KEY (as_of, customer_id)
);
CREATE TABLE mart.daily_sales (
  as_of date NOT NULL, sales_date date NOT NULL, revenue numeric(20, 4) NOT NULL,
  orders bigint NOT NULL, customers bigint NOT NULL, units bigint NOT NULL,
  PRIMARY KEY (as_of, sales_date)
);
CREATE TABLE mart.monthly_sales (
  as_of date NOT NULL, month date NOT NULL, revenue numeric(20, 4) NOT NULL,
  orders bigint NOT NULL, customers bigint NOT NULL, units bigint NOT NULL,
  PRIMARY KEY (as_of, month)
);
CREATE TABLE mart.product_performance (
  as_of date NOT NULL, product_id text NOT NULL, category text NOT NULL,
  revenue numeric(20, 4) NOT NULL, units bigint NOT NULL, orders bigint NOT NULL,
  PRIMARY KEY (as_of, product_id, category)
);
CREATE TABLE mart.anomalies (
  as_of date NOT NULL, transaction_id text NOT NULL, method text NOT NULL
    CHECK (method IN ('iqr_quantity', 'zscore_amount')),
  product_id text, customer_id text, value numeric(20, 4) NOT NULL,
  lower_bound numeric(20, 6), upper_bound numeric(20, 6), score numeric(20, 6),
  PRIMARY KEY (as_of, transaction_id, method)
);
CREATE TABLE mart.traffic_revenue_by_period (
  as_of date NOT NULL, customer_id text NOT NULL, channel_id text NOT NULL,
  revenue_mtd numeric(20, 4) NOT NULL, revenue_last_month numeric(20, 4) NOT NULL,
  revenue_last_quarter numeric(20, 4) NOT NULL, revenue_quarter_before numeric(20, 4) NOT NULL,
  revenue_ytd numeric(20, 4) NOT NULL, revenue_increase_pct_qoq numeric(20, 4),
  PRIMARY KEY (as_of, customer_id, channel_id)
);
