-- One row per workflow pod (a run), keyed by the pod's UID, updated only by compare-and-set on version.
CREATE TABLE runs (
    uid              text        PRIMARY KEY,
    namespace        text        NOT NULL,
    pod              text        NOT NULL,
    workflow         text        NOT NULL,
    pipeline         text,
    app              text,
    environment      text,
    stage            text        NOT NULL CHECK (stage IN ('CI', 'PRE_CD', 'POST_CD')),
    status           text        NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    cause            text        CHECK (cause IN ('WORKLOAD', 'INFRASTRUCTURE')),
    reason           text,
    message          text,
    created_at       timestamptz NOT NULL,
    started_at       timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz NOT NULL,
    first_seen_at    timestamptz NOT NULL DEFAULT now(),
    version          bigint      NOT NULL,
    resource_version text,
    CHECK ((status = 'FAILED') = (reason IS NOT NULL AND cause IS NOT NULL))
);

-- Listing: newest first, keyset pagination on (created_at, uid).
CREATE INDEX runs_newest ON runs (created_at DESC, uid DESC);
-- Reconciliation reads the runs that are not finished yet.
CREATE INDEX runs_active ON runs (status, first_seen_at) WHERE status IN ('PENDING', 'RUNNING');

-- Append-only history of every status change.
CREATE TABLE transitions (
    id          bigserial   PRIMARY KEY,
    run_uid     text        NOT NULL REFERENCES runs (uid),
    from_status text,
    to_status   text        NOT NULL,
    cause       text,
    reason      text,
    message     text,
    source      text        NOT NULL CHECK (source IN ('WATCH', 'RECONCILE')),
    at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX transitions_by_run ON transitions (run_uid, id);
