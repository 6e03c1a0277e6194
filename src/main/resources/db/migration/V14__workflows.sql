-- A verdict per workflow (issue 24): an Argo Workflow, a Tekton PipelineRun or TaskRun, a Job, keyed by the object's
-- UID (random, unique across clusters, as pod UIDs are). Written only by compare-and-set on version, as runs are; a
-- terminal status never changes. The cluster is the instance's own, as for runs (V9): the default matters only to rows
-- a release without it would write, and none does.
CREATE TABLE workflows (
    uid                    text        PRIMARY KEY,
    cluster                text        NOT NULL DEFAULT '${cluster}',
    platform               text        NOT NULL,
    kind                   text        NOT NULL CHECK (kind IN ('Workflow', 'PipelineRun', 'TaskRun', 'Job')),
    namespace              text        NOT NULL,
    name                   text        NOT NULL,
    pipeline               text,
    stage                  text        NOT NULL CHECK (stage IN ('CI', 'PRE_CD', 'POST_CD')),
    status                 text        NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    cause                  text        CHECK (cause IN ('WORKLOAD', 'INFRASTRUCTURE')),
    reason                 text,
    message                text,
    platform_status        text,
    contradiction          boolean     NOT NULL DEFAULT false,
    infrastructure_retries integer     NOT NULL DEFAULT 0,
    created_at             timestamptz NOT NULL DEFAULT now(),
    started_at             timestamptz,
    finished_at            timestamptz,
    updated_at             timestamptz NOT NULL DEFAULT now(),
    version                bigint      NOT NULL DEFAULT 1,
    CHECK ((status = 'FAILED') = (reason IS NOT NULL AND cause IS NOT NULL))
);

-- Listing: newest first, keyset pagination on (created_at, uid); the timer re-judges the open ones.
CREATE INDEX workflows_newest ON workflows (created_at DESC, uid DESC);
CREATE INDEX workflows_open ON workflows (cluster) WHERE status IN ('PENDING', 'RUNNING');

-- The workflow a run belongs to and which step of it the run is ({"key", "name", "attempt", "platformKey"}, see
-- io.stagewatch.workflow.Step); NULL for a run without a workflow (the stagewatch profile's). The index is partial, so
-- that the runs without a workflow pay nothing for it.
ALTER TABLE runs ADD COLUMN workflow_uid text;
ALTER TABLE runs ADD COLUMN step jsonb;
CREATE INDEX runs_by_workflow ON runs (workflow_uid) WHERE workflow_uid IS NOT NULL;

-- A workflow's transitions share the runs' table, so that the feed publishes both in one order (by transaction id,
-- then id, V3) and a restore moves both alike (V12, afterMigrate.sql). Each transition is a run's or a workflow's, as
-- the two statements that write them (RunRepository, WorkflowRepository) make it: no CHECK constraint and no foreign
-- key say so here, since PostgreSQL reads a table's CHECK constraints again, and queues its foreign-key triggers, in
-- every statement that inserts into it, and every run's transition would pay for them (5% of a pod's three
-- statements, counted with callgrind).
ALTER TABLE transitions ALTER COLUMN run_uid DROP NOT NULL;
ALTER TABLE transitions ADD COLUMN workflow_uid text;
CREATE INDEX transitions_by_workflow ON transitions (workflow_uid, id) WHERE workflow_uid IS NOT NULL;
