package io.stagewatch.kube;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Finished runs older than the retention go, with their history and mail; a run whose pod still exists stays. */
@QuarkusTest
@MockCluster
class RetentionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    KubernetesClient client;

    @Inject
    ReconcileLoop reconcile;

    @Inject
    Pool pool;

    @Test
    void oldFinishedRunsWhosePodIsGoneAreDeletedWithTheirTransitionsAndNotifications() {
        Pod stillThere = new Cluster(client)
                .create(Pods.workflow("ci", Pods.name("kept"), "ci").succeeded().build());
        String livePod = stillThere.getMetadata().getUid();
        await().atMost(WAIT)
                .until(() -> reconcile.lastListedPods() != null
                        && reconcile.lastListedPods().contains(livePod));
        String old = run("SUCCEEDED", "100 days", "100 days");
        String recent = run("FAILED", "1 day", "1 day");
        String unfinished = run("RUNNING", "100 days", "100 days");
        // a pod that finished long ago and was seen only lately (stagewatch was installed since, or was down)
        String seenLately = run("SUCCEEDED", "100 days", "1 day");
        age(livePod, "100 days");

        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM runs WHERE uid = $1", old) == 0);

        assertEquals(0, count("SELECT count(*) FROM transitions WHERE run_uid = $1", old));
        assertEquals(0, count("SELECT count(*) FROM outbox WHERE run_uid = $1", old));
        for (String kept : new String[] {recent, unfinished, seenLately, livePod}) {
            assertEquals(1, count("SELECT count(*) FROM runs WHERE uid = $1", kept), kept);
        }
        assertEquals(1, count("SELECT count(*) FROM outbox WHERE run_uid = $1", recent));
    }

    /**
     * A run of no pod, created {@code age} ago (and finished then, if finished) and first seen {@code seen} ago, with
     * one transition and one sent mail.
     */
    private String run(String status, String age, String seen) {
        String uid = UUID.randomUUID().toString();
        boolean failed = status.equals("FAILED");
        pool.preparedQuery("""
                INSERT INTO runs (uid, namespace, pod, workflow, stage, status, cause, reason, created_at, finished_at,
                                  first_seen_at, updated_at, version)
                VALUES ($1, 'ci', $1, $1, 'CI', $2, $3, $4, now() - $5::text::interval,
                        CASE WHEN $2 IN ('SUCCEEDED', 'FAILED') THEN now() - $5::text::interval END,
                        now() - $6::text::interval, now(), 1)""")
                .execute(Tuple.of(uid, status, failed ? "WORKLOAD" : null, failed ? "EXIT_CODE" : null, age, seen))
                .await()
                .atMost(WAIT);
        long transition = pool.preparedQuery("""
                INSERT INTO transitions (run_uid, to_status, cause, reason, source, at)
                VALUES ($1, $2, $3, $4, 'WATCH', now() - $5::text::interval) RETURNING id""")
                .execute(Tuple.of(uid, status, failed ? "WORKLOAD" : null, failed ? "EXIT_CODE" : null, age))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong(0);
        pool.preparedQuery("""
                INSERT INTO outbox (run_uid, transition_id, event, recipient, status)
                VALUES ($1, $2, 'SUCCEEDED', 'ops@example.org', 'SENT')""").execute(Tuple.of(uid, transition)).await().atMost(WAIT);
        return uid;
    }

    private void age(String uid, String age) {
        pool.preparedQuery("""
                UPDATE runs SET finished_at = now() - $2::text::interval, first_seen_at = now() - $2::text::interval
                WHERE uid = $1""").execute(Tuple.of(uid, age)).await().atMost(WAIT);
    }

    private long count(String sql, String uid) {
        return pool.preparedQuery(sql)
                .execute(Tuple.of(uid))
                .await()
                .atMost(WAIT)
                .iterator()
                .next()
                .getLong(0);
    }
}
