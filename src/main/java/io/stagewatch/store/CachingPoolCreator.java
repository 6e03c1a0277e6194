package io.stagewatch.store;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnectOptions;
import jakarta.inject.Singleton;
import java.util.List;

/**
 * The pool Quarkus would create, except that every prepared statement is cached, whatever its length. The reactive
 * client caches a statement only when its text has at most 2,048 characters (its default limit, which Quarkus does
 * not expose), and the transition statements of {@link RunRepository} are longer: PostgreSQL parsed and planned each
 * of them again at every execution, the larger part of its time per transition. {@link #SQL_LIMIT} leaves them room;
 * the cache still holds at most 256 statements a connection.
 */
@Singleton
public class CachingPoolCreator implements PgPoolCreator {

    /** The longest statement text cached: several times the longest statement of this application. */
    static final int SQL_LIMIT = 16_384;

    @Override
    public Pool create(Input input) {
        input.pgConnectOptionsList().forEach(options -> options.setPreparedStatementCacheSqlLimit(SQL_LIMIT));
        return PgBuilder.pool()
                .with(input.poolOptions())
                .connectingTo(List.<SqlConnectOptions>copyOf(input.pgConnectOptionsList()))
                .using(input.vertx())
                .build();
    }
}
