-- Plain views for BI tools (issue 6): each mart as of its latest as_of, so a dashboard needs no
-- date filter. The marts themselves keep every as_of; query them directly for history.

CREATE VIEW mart.customer_ytd_spending_latest AS
  SELECT * FROM mart.customer_ytd_spending WHERE as_of = (SELECT max(as_of) FROM mart.customer_ytd_spending);
CREATE VIEW mart.customer_days_since_last_purchase_latest AS
  SELECT * FROM mart.customer_days_since_last_purchase WHERE as_of = (SELECT max(as_of) FROM mart.customer_days_since_last_purchase);
CREATE VIEW mart.customer_revenue_by_period_latest AS
  SELECT * FROM mart.customer_revenue_by_period WHERE as_of = (SELECT max(as_of) FROM mart.customer_revenue_by_period);
CREATE VIEW mart.customer_360_latest AS
  SELECT * FROM mart.customer_360 WHERE as_of = (SELECT max(as_of) FROM mart.customer_360);
CREATE VIEW mart.industry_exposure_latest AS
  SELECT * FROM mart.industry_exposure WHERE as_of = (SELECT max(as_of) FROM mart.industry_exposure);
CREATE VIEW mart.segment_share_latest AS
  SELECT * FROM mart.segment_share WHERE as_of = (SELECT max(as_of) FROM mart.segment_share);
CREATE VIEW mart.segment_changes_12m_latest AS
  SELECT * FROM mart.segment_changes_12m WHERE as_of = (SELECT max(as_of) FROM mart.segment_changes_12m);
CREATE VIEW mart.top_customers_latest AS
  SELECT * FROM mart.top_customers WHERE as_of = (SELECT max(as_of) FROM mart.top_customers);
CREATE VIEW mart.consistent_top_customers_latest AS
  SELECT * FROM mart.consistent_top_customers WHERE as_of = (SELECT max(as_of) FROM mart.consistent_top_customers);
CREATE VIEW mart.numeric_stats_latest AS
  SELECT * FROM mart.numeric_stats WHERE as_of = (SELECT max(as_of) FROM mart.numeric_stats);
CREATE VIEW mart.customer_value_band_latest AS
  SELECT * FROM mart.customer_value_band WHERE as_of = (SELECT max(as_of) FROM mart.customer_value_band);
CREATE VIEW mart.daily_sales_latest AS
  SELECT * FROM mart.daily_sales WHERE as_of = (SELECT max(as_of) FROM mart.daily_sales);
CREATE VIEW mart.monthly_sales_latest AS
  SELECT * FROM mart.monthly_sales WHERE as_of = (SELECT max(as_of) FROM mart.monthly_sales);
CREATE VIEW mart.product_performance_latest AS
  SELECT * FROM mart.product_performance WHERE as_of = (SELECT max(as_of) FROM mart.product_performance);
CREATE VIEW mart.anomalies_latest AS
  SELECT * FROM mart.anomalies WHERE as_of = (SELECT max(as_of) FROM mart.anomalies);
CREATE VIEW mart.traffic_revenue_by_period_latest AS
  SELECT * FROM mart.traffic_revenue_by_period WHERE as_of = (SELECT max(as_of) FROM mart.traffic_revenue_by_period);
