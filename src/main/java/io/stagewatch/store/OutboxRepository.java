package io.stagewatch.store;

import io.smallrye.mutiny.Uni;
import io.stagewatch.notification.ClaimedNotification;
import io.stagewatch.notification.DeliveryCounts;
import io.stagewatch.notification.DeliveryStatus;
import io.stagewatch.notification.Notification;
import io.stagewatch.notification.NotificationEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** The notification outbox. Rows are written with their transition (see {@link RunRepository}); this sends them. */
@ApplicationScoped
public class OutboxRepository {

    /**
     * Claims up to $2 due rows of the channels $1 (those this processor has a sender for) and of the runs of the
     * clusters $5 (those this instance watches: instances of other clusters may differ in SMTP server, allowed domains
     * and webhook hosts) for a lease of $3 seconds under claim $4: locked rows are skipped, so concurrent processors
     * never claim the same row, and no more rows than the limit are touched. A row of another channel (one a later
     * release added) is left as it is, unclaimed and with no attempt counted, for a processor that can send it.
     * Setting channel_claim too tells the trigger outbox_claim_guard (V7) that this is no claim of a release from
     * before V8, which claimed every channel and can send only the mail of those this one queues. Returns each row with
     * its run and the transition that queued it (the transition's cause, reason and message prefixed {@code t_}, the
     * row's own id as {@code notification_id}).
     */
    private static final String CLAIM = """
            WITH due AS (
                SELECT id FROM outbox
                WHERE status = 'PENDING' AND next_attempt_at <= now() AND channel = ANY($1)
                  AND EXISTS (SELECT 1 FROM runs WHERE runs.uid = outbox.run_uid AND runs.cluster = ANY($5))
                ORDER BY next_attempt_at
                LIMIT $2
                FOR UPDATE SKIP LOCKED)
            UPDATE outbox o
            SET next_attempt_at = now() + make_interval(secs => $3), claim = $4, channel_claim = $4,
                attempts = o.attempts + 1
            FROM due, runs r, transitions t
            WHERE o.id = due.id AND r.uid = o.run_uid AND t.id = o.transition_id
            RETURNING o.id AS notification_id, o.claim, o.event, o.channel, o.recipient, o.url, o.secret, o.body,
                      o.attempts, o.message_id, t.id, t.run_uid, t.from_status, t.to_status, t.cause AS t_cause,
                      t.reason AS t_reason, t.message AS t_message, t.source, t.at, """ + Rows.RUN;

    private final Pool pool;

    public OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    /** Claims due rows of these channels and clusters; see {@link #CLAIM}. */
    public Uni<List<ClaimedNotification>> claim(
            Set<String> channels, Set<String> clusters, int limit, Duration lease, UUID claim) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.tuple()
                        .addArrayOfString(channels.toArray(String[]::new))
                        .addInteger(limit)
                        .addDouble(lease.toMillis() / 1000.0)
                        .addUUID(claim)
                        .addArrayOfString(clusters.toArray(String[]::new)))
                .map(rows -> Rows.list(rows, OutboxRepository::claimed));
    }

    /** Marks a row sent, if this claim still holds it. */
    public Uni<Boolean> markSent(ClaimedNotification mail) {
        return pool.preparedQuery("""
                UPDATE outbox SET status = 'SENT', sent_at = now(), last_error = NULL
                WHERE id = $1 AND claim = $2 AND status = 'PENDING'""")
                .execute(Tuple.of(mail.id(), mail.claim()))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Hands claimed rows back unsent: due at once, for any processor, and the attempt the claim counted is not one.
     *
     * @return how many rows this claim still held
     */
    public Uni<Integer> release(List<ClaimedNotification> mails) {
        return pool.preparedQuery("""
                UPDATE outbox SET claim = NULL, next_attempt_at = now(), attempts = attempts - 1
                WHERE id = $1 AND claim = $2 AND status = 'PENDING'""")
                .executeBatch(mails.stream()
                        .map(mail -> Tuple.of(mail.id(), mail.claim()))
                        .toList())
                .map(rows -> {
                    int released = 0;
                    for (RowSet<Row> result = rows; result != null; result = result.next()) {
                        released += result.rowCount();
                    }
                    return released;
                });
    }

    /**
     * Records a failed attempt: the row waits {@code retryIn} for the next one, or is DEAD after {@code maxAttempts}.
     *
     * @return the row's status afterwards, or null when this claim no longer holds it
     */
    public Uni<DeliveryStatus> markFailed(ClaimedNotification mail, String error, Duration retryIn, int maxAttempts) {
        return pool.preparedQuery("""
                UPDATE outbox
                SET status = CASE WHEN attempts >= $3 THEN 'DEAD' ELSE 'PENDING' END,
                    next_attempt_at = now() + make_interval(secs => $4), last_error = $5
                WHERE id = $1 AND claim = $2 AND status = 'PENDING'
                RETURNING status""")
                .execute(Tuple.of(mail.id(), mail.claim(), maxAttempts, retryIn.toMillis() / 1000.0, error))
                .map(rows -> Rows.first(rows, row -> DeliveryStatus.valueOf(row.getString("status"))));
    }

    /** The notifications of a run, oldest first. */
    public Uni<List<Notification>> forRun(String runUid) {
        return pool.preparedQuery("SELECT * FROM outbox WHERE run_uid = $1 ORDER BY id")
                .execute(Tuple.of(runUid))
                .map(rows -> Rows.list(rows, OutboxRepository::notification));
    }

    /** Notifications with a status (any when null), by id, after the given id. */
    public Uni<List<Notification>> list(DeliveryStatus status, long afterId, int limit) {
        return pool.preparedQuery("""
                SELECT * FROM outbox
                WHERE ($1::text IS NULL OR status = $1) AND id > $2
                ORDER BY id
                LIMIT $3""")
                .execute(Tuple.of(Rows.name(status), afterId, limit))
                .map(rows -> Rows.list(rows, OutboxRepository::notification));
    }

    public Uni<Notification> find(long id) {
        return pool.preparedQuery("SELECT * FROM outbox WHERE id = $1")
                .execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, OutboxRepository::notification));
    }

    /**
     * Puts a DEAD row back to PENDING, due now, with its attempts reset: it gets the full schedule again. Returns it, or
     * null when no DEAD row has this id.
     */
    public Uni<Notification> retry(long id) {
        return pool.preparedQuery("""
                UPDATE outbox SET status = 'PENDING', next_attempt_at = now(), attempts = 0, claim = NULL
                WHERE id = $1 AND status = 'DEAD'
                RETURNING *""")
                .execute(Tuple.of(id))
                .map(rows -> Rows.first(rows, OutboxRepository::notification));
    }

    /**
     * How many rows of the runs of these clusters wait to be sent, and when the oldest of them was queued (null when
     * none): the backlog of another cluster's install is that install's to report.
     */
    public Uni<Backlog> backlog(Set<String> clusters) {
        return pool.preparedQuery("""
                SELECT count(*) AS pending, min(o.created_at) AS oldest
                FROM outbox o JOIN runs r ON r.uid = o.run_uid
                WHERE o.status = 'PENDING' AND r.cluster = ANY($1)""")
                .execute(Tuple.tuple().addArrayOfString(clusters.toArray(String[]::new)))
                .map(rows -> Rows.first(rows, OutboxRepository::backlog));
    }

    /** The outbox rows not sent yet. */
    public record Backlog(long pending, Instant oldest) {}

    private static ClaimedNotification claimed(Row row) {
        return new ClaimedNotification(
                row.getLong("notification_id"),
                row.getUUID("claim"),
                NotificationEvent.valueOf(row.getString("event")),
                row.getString("channel"),
                row.getString("recipient"),
                row.getString("url"),
                row.getString("secret"),
                row.getString("body"),
                row.getInteger("attempts"),
                row.getString("message_id"),
                Rows.run(row),
                Rows.transition(row));
    }

    private static Notification notification(Row row) {
        String channel = row.getString("channel");
        String recipient = row.getString("recipient");
        return new Notification(
                row.getLong("id"),
                row.getString("run_uid"),
                NotificationEvent.valueOf(row.getString("event")),
                channel,
                recipient,
                Notification.display(channel, recipient, row.getString("url")),
                DeliveryStatus.valueOf(row.getString("status")),
                row.getInteger("attempts"),
                Rows.instant(row.getOffsetDateTime("next_attempt_at")),
                Rows.instant(row.getOffsetDateTime("sent_at")),
                row.getString("last_error"),
                row.getString("message_id"));
    }

    private static Backlog backlog(Row row) {
        return new Backlog(row.getLong("pending"), Rows.instant(row.getOffsetDateTime("oldest")));
    }

    /**
     * How many notifications of each run stand in each status, for a whole page of runs in one statement; a run
     * without notifications is absent from the map.
     */
    public Uni<Map<String, DeliveryCounts>> countsByRun(List<String> runUids) {
        return pool.preparedQuery("""
                SELECT run_uid,
                       count(*) FILTER (WHERE status = 'PENDING') AS pending,
                       count(*) FILTER (WHERE status = 'SENT') AS sent,
                       count(*) FILTER (WHERE status = 'DEAD') AS dead
                FROM outbox
                WHERE run_uid = ANY($1)
                GROUP BY run_uid""")
                .execute(Tuple.tuple().addArrayOfString(runUids.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, DeliveryCounts> counts = new HashMap<>();
                    rows.forEach(row -> counts.put(
                            row.getString("run_uid"),
                            new DeliveryCounts(
                                    row.getInteger("pending"), row.getInteger("sent"), row.getInteger("dead"))));
                    return counts;
                });
    }
}
