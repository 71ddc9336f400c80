-- Staged mart rows of one KPI load (issue 6): the pipeline copies every row here under a fresh
-- load id, then one transaction moves them into mart.* for their as_of and deletes them.
-- payload is the row as JSON keyed by column name (read back with jsonb_populate_record).
CREATE TABLE staging.mart_rows (
  load_id    text        NOT NULL,
  as_of      date        NOT NULL,
  mart       text        NOT NULL,
  row_key    text        NOT NULL,
  payload    jsonb       NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (load_id, mart, row_key)
);
CREATE INDEX mart_rows_created_idx ON staging.mart_rows (created_at);
