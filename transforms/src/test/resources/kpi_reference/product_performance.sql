-- Independent reference for SPEC §4, written from the spec and the lead's definitions (not from the
-- Java code). Parameters :as_of (a date literal) and :tz (a timezone name literal) are substituted
-- by the test. D = as_of; revenue = sum(amount) of completed and returned sales; windows are
-- calendar dates inclusive of D; "(D - 12 months, D]" is PostgreSQL month arithmetic.
-- product_performance: over (D - 12 months, D], per product_id and category of the product
-- version at sale time (sales without product excluded): revenue; units and distinct orders of
-- completed sales.
WITH p AS (SELECT CAST(:as_of AS date) AS d, CAST(:tz AS text) AS tz)
SELECT p.d AS as_of, s.product_id, pr.category,
       round(coalesce(sum(s.amount) FILTER (WHERE s.status IN ('completed', 'returned')), 0), 4),
       coalesce(sum(s.quantity) FILTER (WHERE s.status = 'completed'), 0),
       count(DISTINCT coalesce(s.order_id, s.transaction_id)) FILTER (WHERE s.status = 'completed')
FROM dw.fact_sales s JOIN p ON s.sales_date > p.d - interval '12 months' AND s.sales_date <= p.d
JOIN dw.dim_product pr ON pr.product_sk = s.product_sk
WHERE s.product_id IS NOT NULL
GROUP BY p.d, s.product_id, pr.category
