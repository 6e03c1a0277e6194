package io.stagewatch.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.stagewatch.testing.MockCluster;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The application's pool keeps a long statement prepared on its connection ({@link CachingPoolCreator}): the reactive
 * client's default keeps none over 2,048 characters, and PostgreSQL then parsed and planned the transition statements
 * at every execution.
 */
@QuarkusTest
@MockCluster
class StatementCacheTest {

    @Inject
    Pool pool;

    @Test
    void aStatementLongerThanTheClientsDefaultLimitStaysPrepared() {
        String marker = "statement-cache-test";
        String longStatement =
                "SELECT $1::text AS " + "x".repeat(40) + " /* " + marker + " " + "-".repeat(3_000) + " */";
        assertTrue(longStatement.length() > 2_048 && longStatement.length() < CachingPoolCreator.SQL_LIMIT);

        long prepared = pool.withConnection(connection -> connection
                        .preparedQuery(longStatement)
                        .execute(Tuple.of("a"))
                        .flatMap(ignored ->
                                connection.preparedQuery(longStatement).execute(Tuple.of("b")))
                        .flatMap(ignored -> connection
                                .preparedQuery("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE $1")
                                .execute(Tuple.of("%" + marker + "%"))))
                .map(rows -> rows.iterator().next().getLong(0))
                .await()
                .atMost(Duration.ofSeconds(30));

        assertTrue(prepared == 1, "the long statement is prepared once on its connection, found " + prepared);
    }
}
