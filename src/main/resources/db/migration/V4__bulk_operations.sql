-- Bulk actions on runs (DESIGN.md §9): one row per operation with its counters, its processing cursor and the
-- lease of the instance working on it; the runs it matched are frozen at creation in bulk_operation_runs.
CREATE TABLE IF NOT EXISTS bulk_operations (
  id               text        PRIMARY KEY,
  namespace        text        NOT NULL,
  workspace        text        NOT NULL,
  orchestration_id text        NOT NULL,
  action           text        NOT NULL,
  filter           jsonb       NOT NULL,
  status           text        NOT NULL,
  matched          integer     NOT NULL DEFAULT 0,
  succeeded        integer     NOT NULL DEFAULT 0,
  skipped          integer     NOT NULL DEFAULT 0,
  failed           integer     NOT NULL DEFAULT 0,
  created_at       timestamptz NOT NULL,
  created_by       text        NOT NULL,
  completed_at     timestamptz,
  idempotency_key  text,
  -- processing: runs with ids below the cursor are left (newest first); null before the first batch
  cursor_id        text,
  -- the lowest run id of the batch begun under the current lease: runs between it and the cursor may have been
  -- acted on by an instance that died before it recorded them
  in_flight_floor  text,
  lease_owner      text,
  lease_until      timestamptz,
  lease_token      bigint      NOT NULL DEFAULT 0
);

CREATE UNIQUE INDEX IF NOT EXISTS bulk_operations_idempotency
  ON bulk_operations (workspace, orchestration_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS bulk_operations_by_workspace ON bulk_operations (workspace, id DESC);
CREATE INDEX IF NOT EXISTS bulk_operations_running ON bulk_operations (namespace, lease_until) WHERE status = 'running';
CREATE INDEX IF NOT EXISTS bulk_operations_created ON bulk_operations (created_at);

CREATE TABLE IF NOT EXISTS bulk_operation_runs (
  bulk_id text NOT NULL REFERENCES bulk_operations (id) ON DELETE CASCADE,
  run_id  text NOT NULL,
  PRIMARY KEY (bulk_id, run_id)
);
