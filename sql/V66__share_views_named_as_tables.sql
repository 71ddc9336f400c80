-- The share views of V65 carry the name of the table they share, as every other share view does
-- (share.customer_360 shares mart.customer_360): share.dim_campaign, share.fact_web_events and
-- share.fact_inventory. Only the names change; grants stay with the views.
ALTER VIEW share.campaigns RENAME TO dim_campaign;
ALTER VIEW share.web_events RENAME TO fact_web_events;
ALTER VIEW share.inventory RENAME TO fact_inventory;
