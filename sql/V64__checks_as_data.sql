-- Data-quality checks declared in a file (issue 15, SPEC §5): one function per kind that needs
-- SQL, called with bound parameters by io.c360.pipelines.checks.CheckRunner. Entity and column
-- names reach these functions only after the runner has matched them to the entity model, and
-- they are quoted here again with format('%I'). Each returns one row: the failing rows (the true
-- count, whatever the threshold), the rows looked at (null: the runner uses the rows read) and
-- up to five sample keys (natural key columns joined with '|').

ALTER TABLE dq.check_results ADD COLUMN checked_rows bigint;

-- the natural key of a staging/raw row as text, e.g. concat_ws('|', "send_date"::text, ...)
CREATE FUNCTION dq.key_sql(p_keys text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT 'concat_ws(''|'', ' || string_agg(format('%I::text', k), ', ' ORDER BY o) || ')'
  FROM unnest(p_keys) WITH ORDINALITY AS u(k, o)
$$;

-- the natural key of a quarantined row, from its original record
CREATE FUNCTION dq.record_key_sql(p_keys text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT 'concat_ws(''|'', ' || string_agg(format('record->>%L', k), ', ' ORDER BY o) || ')'
  FROM unnest(p_keys) WITH ORDINALITY AS u(k, o)
$$;

-- not_null: rows of the run quarantined by not_null:<column>, plus loaded rows where it is null
CREATE FUNCTION dq.check_not_null(p_entity text, p_column text, p_keys text[], p_run bigint)
RETURNS TABLE (failing bigint, checked bigint, samples text[])
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'WITH bad AS (SELECT %s AS k FROM staging.%I WHERE run_id = $1 AND %I IS NULL'
    ' UNION ALL SELECT %s FROM dq.rejected_rows WHERE run_id = $1 AND entity = $2 AND rule = $3)'
    ' SELECT count(*), NULL::bigint, (array_agg(k ORDER BY k))[1:5] FROM bad',
    dq.key_sql(p_keys), p_entity, p_column, dq.record_key_sql(p_keys))
  USING p_run, p_entity, 'not_null:' || p_column;
END
$$;

-- accepted_values: rows quarantined by accepted_values:<column>, plus loaded rows whose value is
-- not in the list (matched as cleaning matches: case and spaces ignored)
CREATE FUNCTION dq.check_accepted_values(
    p_entity text, p_column text, p_keys text[], p_run bigint, p_values text[])
RETURNS TABLE (failing bigint, checked bigint, samples text[])
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'WITH ok AS (SELECT lower(regexp_replace(v, ''\s'', '''', ''g'')) AS v FROM unnest($4) v),'
    ' bad AS (SELECT %s AS k FROM staging.%I WHERE run_id = $1 AND %I IS NOT NULL'
    '   AND lower(regexp_replace(%I::text, ''\s'', '''', ''g'')) NOT IN (SELECT v FROM ok)'
    ' UNION ALL SELECT %s FROM dq.rejected_rows WHERE run_id = $1 AND entity = $2 AND rule = $3)'
    ' SELECT count(*), NULL::bigint, (array_agg(k ORDER BY k))[1:5] FROM bad',
    dq.key_sql(p_keys), p_entity, p_column, p_column, dq.record_key_sql(p_keys))
  USING p_run, p_entity, 'accepted_values:' || p_column, p_values;
END
$$;

-- unique: landed rows (raw.<entity>, before dedup) beyond the first of each value; failing is
-- null when the run kept no raw rows (the runner then counts the rows dedup removed)
CREATE FUNCTION dq.check_unique(p_entity text, p_column text, p_run bigint)
RETURNS TABLE (failing bigint, checked bigint, samples text[])
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'WITH landed AS (SELECT trim(%I) AS v FROM raw.%I WHERE run_id = $1),'
    ' dup AS (SELECT v, count(*) AS n FROM landed WHERE v <> '''' GROUP BY v HAVING count(*) > 1)'
    ' SELECT CASE WHEN (SELECT count(*) FROM landed) = 0 THEN NULL'
    '   ELSE coalesce((SELECT sum(n - 1) FROM dup), 0)::bigint END,'
    ' (SELECT count(*) FROM landed), (SELECT (array_agg(v ORDER BY v))[1:5] FROM dup)',
    p_column, p_entity)
  USING p_run;
END
$$;

-- relationships: this run's rows that wait for their member, whether or not an earlier run of
-- the date parked them first (a re-run after a failure reports the day as the first run did)
CREATE FUNCTION dq.check_relationships(p_entity text, p_column text, p_run bigint)
RETURNS TABLE (failing bigint, checked bigint, samples text[])
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'SELECT count(*), NULL::bigint, (array_agg(p.natural_key ORDER BY p.natural_key))[1:5]'
    ' FROM dq.pending_rows p JOIN staging.%I s ON s.run_id = $1'
    '  AND s.source_file = p.source_file AND s.line_no = p.line_no'
    ' WHERE p.entity = $2 AND p.last_run_id = $1 AND p.rule = $3',
    p_entity)
  USING p_run, p_entity, 'relationships:' || p_column;
END
$$;

-- freshness: 1 failing when the run's newest value is older than p_limit (or the run loaded rows
-- and none has a value); the sample is that newest value
CREATE FUNCTION dq.check_freshness(p_entity text, p_column text, p_run bigint, p_limit timestamptz)
RETURNS TABLE (failing bigint, checked bigint, samples text[])
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'SELECT CASE WHEN count(*) > 0 AND (max(%I) IS NULL OR max(%I) < $2) THEN 1 ELSE 0 END::bigint,'
    ' 1::bigint, ARRAY[coalesce(max(%I)::text, ''no value'')] FROM staging.%I WHERE run_id = $1',
    p_column, p_column, p_column, p_entity)
  USING p_run, p_limit;
END
$$;

-- outliers_iqr: loaded values outside [Q1 - 1.5 IQR, Q3 + 1.5 IQR] of the run's values
CREATE FUNCTION dq.check_outliers_iqr(p_entity text, p_column text, p_keys text[], p_run bigint)
RETURNS TABLE (failing bigint, checked bigint, samples text[])
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'WITH s AS (SELECT %s AS k, %I::numeric AS v FROM staging.%I WHERE run_id = $1 AND %I IS NOT NULL),'
    ' q AS MATERIALIZED (SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY v) q1,'
    '   percentile_cont(0.75) WITHIN GROUP (ORDER BY v) q3 FROM s),'
    ' o AS (SELECT k FROM s, q WHERE v < q1 - 1.5 * (q3 - q1) OR v > q3 + 1.5 * (q3 - q1))'
    ' SELECT (SELECT count(*) FROM o), (SELECT count(*) FROM s),'
    ' (SELECT (array_agg(k ORDER BY k))[1:5] FROM o)',
    dq.key_sql(p_keys), p_column, p_entity, p_column)
  USING p_run;
END
$$;

-- outliers_zscore: loaded values with |value - mean| / sample stddev >= 3 among the run's values
CREATE FUNCTION dq.check_outliers_zscore(p_entity text, p_column text, p_keys text[], p_run bigint)
RETURNS TABLE (failing bigint, checked bigint, samples text[])
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'WITH s AS (SELECT %s AS k, %I::numeric AS v FROM staging.%I WHERE run_id = $1 AND %I IS NOT NULL),'
    ' z AS MATERIALIZED (SELECT avg(v) m, stddev_samp(v) sd FROM s),'
    ' o AS (SELECT k FROM s, z WHERE sd > 0 AND abs(v - m) / sd >= 3)'
    ' SELECT (SELECT count(*) FROM o), (SELECT count(*) FROM s),'
    ' (SELECT (array_agg(k ORDER BY k))[1:5] FROM o)',
    dq.key_sql(p_keys), p_column, p_entity, p_column)
  USING p_run;
END
$$;

-- scd2_intervals: versions of a dimension whose successor does not start where they end
CREATE FUNCTION dq.check_scd2_intervals(p_table text, p_key text)
RETURNS TABLE (failing bigint, checked bigint, samples text[])
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY EXECUTE format(
    'WITH v AS (SELECT %I AS k, valid_to, lead(valid_from) OVER (PARTITION BY %I ORDER BY valid_from)'
    '   AS next_from FROM dw.%I),'
    ' bad AS (SELECT k FROM v WHERE next_from IS NOT NULL AND next_from <> valid_to)'
    ' SELECT (SELECT count(*) FROM bad), (SELECT count(*) FROM v),'
    ' (SELECT (array_agg(DISTINCT k ORDER BY k))[1:5] FROM bad)',
    p_key, p_key, p_table)
  ;
END
$$;

-- SECURITY INVOKER (the default): a caller reads only what its own grants allow, so the default
-- EXECUTE for PUBLIC gives nobody more (the partner role has no USAGE on dq).

-- customer_360 follows the declared categories (SPEC §1): the amount per category of the run's
-- list, as {"<category>": amount}; the seven amount columns stay for the SPEC's default list (0
-- for a category a checks file leaves out).
ALTER TABLE mart.customer_360 ADD COLUMN category_amounts jsonb NOT NULL DEFAULT '{}'::jsonb;

-- the partner sees them too: amounts carry no PII (same view as V60, one column added at the end)
CREATE OR REPLACE VIEW share.customer_360 AS
SELECT m.as_of, share.hash_with(k.key, m.customer_id) AS customer_key,
       share.hash_with(k.key, m.name) AS name_hash, share.mask_email(m.email) AS email_masked,
       m.city, m.country, m.segment, m.industry, m.first_purchase_date, m.last_purchase_date,
       m.orders, m.lifetime_revenue, m.avg_order_value, m.apps_and_games_amount, m.beauty_amount,
       m.books_amount, m.clothing_shoes_and_accessories_amount, m.kitchen_amount,
       m.movies_and_tv_amount, m.sports_fitness_and_outdoors_amount, m.customer_type, m.churn_risk,
       m.category_amounts
FROM mart.customer_360 m LEFT JOIN (SELECT key FROM ops.share_key LIMIT 1) k ON true;
