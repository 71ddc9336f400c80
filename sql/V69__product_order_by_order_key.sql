-- The marts take off the extra dates of orders split over dates (kpi.order_span) from the state:
-- kpi.customer_order for customer_figures, daily_sales and monthly_sales, kpi.product_order for
-- product_performance, instead of re-reading those orders' facts (issue 12: at 365 days of
-- history 25,194 such orders cost 5-9 s per mart). customer_order has its order_key index (V68);
-- this gives product_order the same.
CREATE INDEX product_order_key_idx ON kpi.product_order (order_key);
