-- outbox.message_id was a stored generated column (V7). PostgreSQL 15 reads and prepares a generated column's
-- expression whenever a statement that may insert into or update the table starts, rows or none: every transition
-- statement (two outbox INSERTs each, most of them queueing nothing) and every mail marked sent paid for it, a fifth
-- of the transition statements' CPU (measured with callgrind). A row trigger computes the same value only for the rows
-- inserted, for this release and for a release before it still running during a rolling update alike.
ALTER TABLE outbox ALTER COLUMN message_id DROP EXPRESSION;

-- deterministic, the Message-ID of a mail and the Idempotency-Key of a webhook (without the angle brackets)
CREATE FUNCTION outbox_message_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.message_id := '<' || NEW.run_uid || '.' || lower(NEW.event) || '.'
                      || md5(COALESCE(NEW.recipient, NEW.channel || ' ' || NEW.url)) || '@stagewatch>';
    RETURN NEW;
END $$;

CREATE TRIGGER outbox_message_id BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION outbox_message_id();
