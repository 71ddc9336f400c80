-- (b) step 5: the run record, after the marts (bench/run.sh writes 40_marts.sql from the project's
-- plain-SQL KPI reference, transforms/src/test/resources/kpi_reference/*.sql).
UPDATE ops.pipeline_runs p
SET status = 'succeeded', ended_at = clock_timestamp(),
    entity_counts = (SELECT jsonb_object_agg(entity, jsonb_build_object(
                       'read', read, 'loaded', loaded, 'quarantined', quarantined,
                       'deduplicated', deduplicated, 'pending', pending))
                     FROM lz.run_counts r WHERE r.run_id = p.run_id)
FROM run WHERE p.run_id = run.run_id;
