-- Rules as code (issue 26): a rules file (stagewatch.rules.file) is stored as the rules of its owner
-- (stagewatch.rules.owner), matched by name. `owner` and `file` are NULL for a rule made through the API, which the
-- previous release keeps reading and writing as before (it shows a file rule as any other, and its PUT or DELETE of
-- one lasts until the file is loaded again).
ALTER TABLE notification_rules
    ADD COLUMN owner text,
    ADD COLUMN file text,
    ADD CONSTRAINT notification_rules_file_owned CHECK ((owner IS NULL) = (file IS NULL));

CREATE UNIQUE INDEX notification_rules_owner_name ON notification_rules (owner, name) WHERE owner IS NOT NULL;

-- What each owner's rules were last loaded from: a replica that sees the same content (and secrets) again writes
-- nothing, so replicas that see a change a moment apart do not overwrite each other back and forth.
CREATE TABLE rule_files (
    owner     text        PRIMARY KEY,
    file      text        NOT NULL,
    digest    text        NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
);
