package io.stagewatch.delivery;

import io.stagewatch.run.Platform;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Verdict;
import io.stagewatch.store.RunRepository;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.Runs;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/** Rows for the outbox tests: a run that queues mails, and how many of them were sent. */
final class OutboxFixtures {

    private OutboxFixtures() {}

    /** A finished run of no pod (the reconcile loop leaves it alone) that queues one mail per recipient. */
    static String finishedRun(RunRepository runs, String prefix, int recipients) {
        String uid = UUID.randomUUID().toString();
        String name = Pods.name(prefix);
        List<String> to = IntStream.range(0, recipients)
                .mapToObj(i -> name + "-" + i + "@example.org")
                .toList();
        runs.insert(
                        Runs.attributes(uid, "ci", name, name, prefix, Platform.STAGEWATCH, to),
                        null,
                        new Verdict(RunStatus.SUCCEEDED, null, null, null, null),
                        Source.WATCH,
                        Instant.now())
                .await()
                .atMost(Duration.ofSeconds(10));
        return uid;
    }

    /** The run's outbox rows marked SENT. */
    static long sent(Pool pool, String uid) {
        return pool.preparedQuery("SELECT count(*) FROM outbox WHERE run_uid = $1 AND status = 'SENT'")
                .execute(Tuple.of(uid))
                .await()
                .atMost(Duration.ofSeconds(5))
                .iterator()
                .next()
                .getLong(0);
    }
}
