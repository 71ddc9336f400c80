-- (b) step 2, one transaction: SCD2 merge of customers and products (delta mode), Type 1 channels.
-- A version that equals the version in effect just before it (on the merged timeline of stored and
-- incoming versions) creates nothing; a version with the valid_from of a stored one corrects it in
-- place; every other version is inserted where it belongs and the key's intervals are re-cut
-- (valid_to = the next valid_from, the last one open at 9999-12-31). account_id and created_date
-- are Type 1. Stored versions are never deleted, so fact surrogate keys stay valid.

-- ---------------------------------------------------------------- customers
CREATE TEMP TABLE c_v AS
SELECT c.*, md5(row(c.name, c.email, c.city, c.country, c.segment, c.industry)::text) AS row_hash
FROM c_ok c WHERE c.rn = 1;

UPDATE dw.dim_customer d
SET name = v.name, email = v.email, city = v.city, country = v.country, segment = v.segment,
    industry = v.industry, row_hash = v.row_hash, run_id = run.run_id
FROM c_v v, run
WHERE d.customer_id = v.customer_id AND d.valid_from = v.valid_from AND d.row_hash <> v.row_hash;

INSERT INTO dw.dim_customer (customer_id, account_id, name, email, city, country, segment, industry,
                             created_date, row_hash, valid_from, valid_to, is_current, run_id)
SELECT customer_id, account_id, name, email, city, country, segment, industry, created_date,
       row_hash, valid_from, '9999-12-31 00:00:00+00', false, run.run_id
FROM (
  SELECT t.*, lag(t.row_hash) OVER (PARTITION BY t.customer_id ORDER BY t.valid_from) AS prev_hash
  FROM (
    SELECT d.customer_id, d.account_id, d.name, d.email, d.city, d.country, d.segment, d.industry,
           d.created_date, d.row_hash, d.valid_from, false AS incoming
    FROM dw.dim_customer d WHERE d.customer_id IN (SELECT customer_id FROM c_v)
    UNION ALL
    SELECT v.customer_id, v.account_id, v.name, v.email, v.city, v.country, v.segment, v.industry,
           v.created_date, v.row_hash, v.valid_from, true
    FROM c_v v
    WHERE NOT EXISTS (SELECT 1 FROM dw.dim_customer d
                      WHERE d.customer_id = v.customer_id AND d.valid_from = v.valid_from)) t) x, run
WHERE x.incoming AND x.prev_hash IS DISTINCT FROM x.row_hash;

CREATE TEMP TABLE c_cut AS
SELECT customer_sk,
       coalesce(lead(valid_from) OVER w, '9999-12-31 00:00:00+00') AS valid_to,
       lead(valid_from) OVER w IS NULL AS is_current
FROM dw.dim_customer WHERE customer_id IN (SELECT customer_id FROM c_v)
WINDOW w AS (PARTITION BY customer_id ORDER BY valid_from);
-- two steps, so the one-current-version-per-key index holds after every row
UPDATE dw.dim_customer d SET is_current = false
FROM c_cut c WHERE d.customer_sk = c.customer_sk AND d.is_current AND NOT c.is_current;
UPDATE dw.dim_customer d SET valid_to = c.valid_to, is_current = c.is_current
FROM c_cut c
WHERE d.customer_sk = c.customer_sk AND (d.valid_to, d.is_current) IS DISTINCT FROM (c.valid_to, c.is_current);

UPDATE dw.dim_customer d SET account_id = v.account_id, created_date = v.created_date
FROM (SELECT DISTINCT ON (customer_id) customer_id, account_id, created_date
      FROM c_v ORDER BY customer_id, valid_from DESC, row_no DESC) v
WHERE d.customer_id = v.customer_id
  AND (d.account_id, d.created_date) IS DISTINCT FROM (v.account_id, v.created_date);

-- ---------------------------------------------------------------- products
CREATE TEMP TABLE p_v AS
SELECT p.*, md5(row(p.product_name, p.category, p.brand, p.list_price)::text) AS row_hash
FROM p_ok p WHERE p.rn = 1;

UPDATE dw.dim_product d
SET product_name = v.product_name, category = v.category, brand = v.brand,
    list_price = v.list_price, row_hash = v.row_hash, run_id = run.run_id
FROM p_v v, run
WHERE d.product_id = v.product_id AND d.valid_from = v.valid_from AND d.row_hash <> v.row_hash;

INSERT INTO dw.dim_product (product_id, product_name, category, brand, list_price, row_hash,
                            valid_from, valid_to, is_current, run_id)
SELECT product_id, product_name, category, brand, list_price, row_hash, valid_from,
       '9999-12-31 00:00:00+00', false, run.run_id
FROM (
  SELECT t.*, lag(t.row_hash) OVER (PARTITION BY t.product_id ORDER BY t.valid_from) AS prev_hash
  FROM (
    SELECT d.product_id, d.product_name, d.category, d.brand, d.list_price, d.row_hash,
           d.valid_from, false AS incoming
    FROM dw.dim_product d WHERE d.product_id IN (SELECT product_id FROM p_v)
    UNION ALL
    SELECT v.product_id, v.product_name, v.category, v.brand, v.list_price, v.row_hash,
           v.valid_from, true
    FROM p_v v
    WHERE NOT EXISTS (SELECT 1 FROM dw.dim_product d
                      WHERE d.product_id = v.product_id AND d.valid_from = v.valid_from)) t) x, run
WHERE x.incoming AND x.prev_hash IS DISTINCT FROM x.row_hash;

CREATE TEMP TABLE p_cut AS
SELECT product_sk,
       coalesce(lead(valid_from) OVER w, '9999-12-31 00:00:00+00') AS valid_to,
       lead(valid_from) OVER w IS NULL AS is_current
FROM dw.dim_product WHERE product_id IN (SELECT product_id FROM p_v)
WINDOW w AS (PARTITION BY product_id ORDER BY valid_from);
UPDATE dw.dim_product d SET is_current = false
FROM p_cut c WHERE d.product_sk = c.product_sk AND d.is_current AND NOT c.is_current;
UPDATE dw.dim_product d SET valid_to = c.valid_to, is_current = c.is_current
FROM p_cut c
WHERE d.product_sk = c.product_sk AND (d.valid_to, d.is_current) IS DISTINCT FROM (c.valid_to, c.is_current);

-- ---------------------------------------------------------------- channels (Type 1)
INSERT INTO dw.dim_channel (channel_id, channel_name, channel_type, unit_price_eur, run_id)
SELECT channel_id, channel_name, channel_type, unit_price_eur, run.run_id
FROM ch_ok, run WHERE rn = 1
ON CONFLICT (channel_id) DO UPDATE
SET channel_name = excluded.channel_name, channel_type = excluded.channel_type,
    unit_price_eur = excluded.unit_price_eur, run_id = excluded.run_id, updated_at = now();

UPDATE lz.run_counts r SET loaded = r.read - r.quarantined - r.deduplicated, pending = 0
FROM run WHERE r.run_id = run.run_id AND r.entity IN ('customers', 'products', 'channels');
ANALYZE dw.dim_customer;
ANALYZE dw.dim_product;
