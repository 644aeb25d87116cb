-- List Runs filters (correlationId, startedAfter, startedBefore) over the history, with exact totals.
ALTER TABLE runs ADD COLUMN IF NOT EXISTS correlation_id text;
UPDATE runs SET correlation_id = body->>'correlationId' WHERE correlation_id IS NULL AND body ? 'correlationId';

CREATE INDEX IF NOT EXISTS runs_evicted_by_correlation
  ON runs (workspace, correlation_id, id DESC) WHERE evicted AND correlation_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS runs_evicted_by_orchestration_started
  ON runs (workspace, orchestration_id, started_at) WHERE evicted;
