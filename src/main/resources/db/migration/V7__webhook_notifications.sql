-- Webhook and Slack notifications through the same outbox as mail (issue 13).
--
-- Rolling update: the previous release runs beside this one for a while. It queues, claims, marks and lists outbox
-- rows, and knows only mail. This migration keeps every statement of it working and keeps it away from the rows of
-- the new channels:
-- - `recipient` keeps meaning an e-mail address; rows of the new channels leave it NULL and name their URL in `url`.
--   The previous release's ON CONFLICT (run_uid, event, recipient) still finds its unique constraint; NULLs never
--   conflict, so the new rows are kept unique by an index of their own.
-- - `channel` defaults to 'email', so the previous release's inserts are mail rows.
-- - The previous release's claim sets `claim` and nothing else of ours; this release's claim also sets
--   `channel_claim` to the same value. A claim of a row of another channel than 'email' that does not set
--   `channel_claim` is skipped by the trigger outbox_claim_guard (the row is left as it was and not returned), so the
--   previous release never sends, nor burns the attempts of, a row it cannot deliver, even one an operator retried
--   through it. Its claim merely takes fewer rows; this release sends them.
-- - `message_id` is computed again with the URL for rows without a recipient; mail rows keep their value.
-- - Rules: `recipients` may now be empty when `webhooks` is not. The previous release reads such a rule with no
--   recipients and queues no mail for it; its PUT leaves `webhooks` alone.

ALTER TABLE notification_rules
    ADD COLUMN webhooks jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(webhooks) = 'array'),
    DROP CONSTRAINT notification_rules_recipients_check,
    ADD CONSTRAINT notification_rules_destinations CHECK (
        cardinality(recipients) <= 100 AND (cardinality(recipients) > 0 OR jsonb_array_length(webhooks) > 0));

ALTER TABLE outbox
    ADD COLUMN channel text NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'webhook', 'slack')),
    ALTER COLUMN recipient DROP NOT NULL,
    -- the webhook's URL, with its secret (for the signature) and the body, both as they were when the row was queued:
    -- editing or deleting the rule changes only what is queued later, and every attempt sends the same bytes
    ADD COLUMN url text,
    ADD COLUMN secret text,
    ADD COLUMN body text,
    ADD COLUMN channel_claim uuid,
    ADD CONSTRAINT outbox_destination CHECK (
        CASE WHEN channel = 'email' THEN recipient IS NOT NULL AND url IS NULL
             ELSE recipient IS NULL AND url IS NOT NULL AND body IS NOT NULL END),
    DROP COLUMN message_id,
    -- deterministic, the Message-ID of a mail and the Idempotency-Key of a webhook (without the angle brackets)
    ADD COLUMN message_id text NOT NULL GENERATED ALWAYS AS
        ('<' || run_uid || '.' || lower(event) || '.' || md5(COALESCE(recipient, channel || ' ' || url))
         || '@stagewatch>') STORED;

-- One row per (run, event, webhook destination), as UNIQUE (run_uid, event, recipient) does for mail.
CREATE UNIQUE INDEX outbox_webhook_once ON outbox (run_uid, event, channel, url) WHERE url IS NOT NULL;

CREATE FUNCTION outbox_claim_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NULL; -- a claim by a release that does not know the row's channel: skip the row
END $$;

CREATE TRIGGER outbox_claim_guard BEFORE UPDATE ON outbox FOR EACH ROW
    WHEN (NEW.channel <> 'email' AND NEW.claim IS NOT NULL AND NEW.claim IS DISTINCT FROM OLD.claim
          AND NEW.channel_claim IS DISTINCT FROM NEW.claim)
    EXECUTE FUNCTION outbox_claim_guard();
