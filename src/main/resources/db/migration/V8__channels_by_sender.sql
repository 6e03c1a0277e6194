-- A notification channel is a sender class of the release that knows it; the schema no longer lists the channels, so
-- that a later release can add one with no migration (issue 20). Rows of the channels keep one destination each: a
-- mail its recipient, a webhook its URL, as the transition statement queues them.
--
-- Rolling update: the previous release (V7) runs beside this one for a while.
-- - The previous release queues rows as before: mail rows, and webhook and Slack rows with the JSON body its
--   transition statement rendered. This release sends such a row with the body it carries. It queues its own webhook
--   and Slack rows without a body, and renders the body when it sends them, from the run and the transition the row
--   belongs to, so that every attempt sends the same bytes.
-- - The previous release claims every due row, with no channel_claim. The trigger outbox_claim_guard (V7) stays: such
--   a claim still takes mail rows only, so the previous release never gets a webhook row without a body, which it
--   could not send. This release's claim sets channel_claim as V7's did, and takes only the rows of the channels it
--   has a sender for (channel = ANY(...)): a row of a channel that a later release adds waits, PENDING, unclaimed and
--   with no attempt counted, for a release that can send it. Once no release before this one runs, a later migration
--   may drop the trigger and channel_claim.
-- - `channel` keeps its default 'email': the mail rows of both releases' transition statements take it.
-- - A later release that adds a webhook kind: while this release still runs beside it, the transitions this release
--   commits queue no row for a webhook of a kind it does not know (the statement skips it), and this release's API
--   cannot read a rule that has one; so create rules with a new kind once the rollout is done.

ALTER TABLE outbox
    DROP CONSTRAINT outbox_channel_check,
    DROP CONSTRAINT outbox_destination,
    ADD CONSTRAINT outbox_destination CHECK (num_nonnulls(recipient, url) = 1);
