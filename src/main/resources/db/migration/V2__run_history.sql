CREATE TABLE IF NOT EXISTS runs (
  id               text        PRIMARY KEY,
  workspace        text        NOT NULL,
  orchestration_id text        NOT NULL,
  status           text        NOT NULL,
  started_at       timestamptz NOT NULL,
  completed_at     timestamptz,
  body             jsonb       NOT NULL,
  evicted          boolean     NOT NULL DEFAULT false
);

-- Run ids sort by creation time, so "newest first" is ORDER BY id DESC.
CREATE INDEX IF NOT EXISTS runs_evicted_by_orchestration
  ON runs (workspace, orchestration_id, id DESC) WHERE evicted;
CREATE INDEX IF NOT EXISTS runs_evicted_by_orchestration_status
  ON runs (workspace, orchestration_id, status, id DESC) WHERE evicted;
