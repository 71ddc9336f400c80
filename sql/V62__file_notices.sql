-- Unknown columns (SPEC §1: ignored and reported once per file). The load pipeline writes one row
-- per file whose header or Parquet schema has columns no entity declares, so the report does not
-- depend on which runner's logs a user can see; the run summary and ops.pipeline_runs.notices are
-- built from these rows. Grants: the default privileges of V60 (writer writes, reader reads).
CREATE TABLE dq.file_notices (
  run_id          bigint      NOT NULL,
  entity          text        NOT NULL,
  source_file     text        NOT NULL,
  unknown_columns text[]      NOT NULL,
  noted_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, source_file)
);

-- What a run noticed, per entity (as entity_counts) and set of unknown columns:
-- {"customers": [{"unknown_columns": ["ingest_batch"], "files": 2,
--                 "notice": "customers: unknown columns [ingest_batch] ignored in 2 files"}]}
ALTER TABLE ops.pipeline_runs ADD COLUMN notices jsonb NOT NULL DEFAULT '{}'::jsonb;
