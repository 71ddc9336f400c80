-- The point-in-time rule has one definition, DimensionSpec#versionAt, used by the fact load and by
-- the re-pointing after an SCD2 merge; these copies of it were used by nothing but a test.
DROP FUNCTION dw.customer_sk_at(text, timestamptz);
DROP FUNCTION dw.product_sk_at(text, timestamptz);
