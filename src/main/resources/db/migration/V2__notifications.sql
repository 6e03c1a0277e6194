-- Who is told of what: a rule matches runs by pipeline glob and stage, for some events.
CREATE TABLE notification_rules (
    id            bigserial   PRIMARY KEY,
    name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    pipeline      text        NOT NULL,
    -- the glob as a LIKE pattern (escape character backslash), made when the rule is stored
    pipeline_like text        NOT NULL,
    stages        text[]      NOT NULL CHECK (cardinality(stages) > 0),
    events        text[]      NOT NULL CHECK (cardinality(events) > 0),
    recipients    text[]      NOT NULL CHECK (cardinality(recipients) BETWEEN 1 AND 100),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Recipients named by the pod's notify annotation, kept with the run so that a run judged without its pod
-- (vanished, never started) still reaches them.
ALTER TABLE runs ADD COLUMN notify text[] NOT NULL DEFAULT '{}';

-- One row per (run, event, recipient), written in the same statement as the transition that caused it.
CREATE TABLE outbox (
    id              bigserial   PRIMARY KEY,
    run_uid         text        NOT NULL REFERENCES runs (uid),
    transition_id   bigint      NOT NULL REFERENCES transitions (id),
    event           text        NOT NULL CHECK (event IN ('STARTED', 'SUCCEEDED', 'FAILED')),
    recipient       text        NOT NULL,
    status          text        NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SENT', 'DEAD')),
    attempts        integer     NOT NULL DEFAULT 0,
    -- when the row is due; a claim moves it to the end of the lease, so an expired lease makes it due again
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    claim           uuid,
    sent_at         timestamptz,
    last_error      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- deterministic: a resend after a crash carries the same Message-ID, so receivers can collapse it
    message_id      text        NOT NULL GENERATED ALWAYS AS
                        ('<' || run_uid || '.' || lower(event) || '.' || md5(recipient) || '@stagewatch>') STORED,
    UNIQUE (run_uid, event, recipient)
);

CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX outbox_by_status ON outbox (status, id);
