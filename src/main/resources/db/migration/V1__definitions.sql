CREATE TABLE IF NOT EXISTS orchestrations (
  id          text        PRIMARY KEY,
  workspace   text        NOT NULL,
  slug        text        NOT NULL,
  name        text        NOT NULL,
  description text,
  version     integer     NOT NULL,
  is_active   boolean     NOT NULL,
  trigger     jsonb       NOT NULL,
  steps       jsonb       NOT NULL,
  http_path   text,
  created_at  timestamptz NOT NULL,
  created_by  text        NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text        NOT NULL,
  deleted_at  timestamptz
);

CREATE UNIQUE INDEX IF NOT EXISTS orchestrations_live_slug
  ON orchestrations (workspace, slug) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS orchestrations_live_http_path
  ON orchestrations (workspace, http_path) WHERE deleted_at IS NULL AND http_path IS NOT NULL;
CREATE INDEX IF NOT EXISTS orchestrations_live_created
  ON orchestrations (workspace, created_at) WHERE deleted_at IS NULL;

CREATE TABLE IF NOT EXISTS orchestration_versions (
  orchestration_id text        NOT NULL REFERENCES orchestrations (id),
  version          integer     NOT NULL,
  name             text        NOT NULL,
  description      text,
  is_active        boolean     NOT NULL,
  trigger          jsonb       NOT NULL,
  steps            jsonb       NOT NULL,
  created_at       timestamptz NOT NULL,
  created_by       text        NOT NULL,
  PRIMARY KEY (orchestration_id, version)
);

CREATE TABLE IF NOT EXISTS functions (
  id             text        PRIMARY KEY,
  workspace      text        NOT NULL,
  name           text        NOT NULL,
  description    text,
  runtime        text        NOT NULL,
  url            text,
  queue          text,
  headers        jsonb       NOT NULL DEFAULT '{}',
  timeout_ms     integer,
  signing_secret text        NOT NULL,
  created_at     timestamptz NOT NULL,
  created_by     text        NOT NULL,
  updated_at     timestamptz NOT NULL,
  updated_by     text        NOT NULL,
  deleted_at     timestamptz
);

CREATE INDEX IF NOT EXISTS functions_live_created
  ON functions (workspace, created_at) WHERE deleted_at IS NULL;
