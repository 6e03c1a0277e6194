package io.stagewatch.store;

import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A statement's optional equality filters: each one given becomes {@code AND column = $n}, its value the next parameter
 * of the statement's values; one not given is left out of the text. Never {@code ($n IS NULL OR column = $n)}: prepared
 * statements are cached, so the database plans each once for any values (a generic plan), and it takes such a
 * condition for a selective one. The feed's read then scanned every run for each transition instead of reading the
 * transitions in order (455 ms for 256 transitions at 28,000 runs, 1 ms without), and the run list read the whole
 * table. Each combination of filters is a statement of its own, prepared once per connection.
 */
final class Filters {

    private final Tuple values;
    private final StringBuilder conditions = new StringBuilder();

    /** Filters whose values are added to {@code values}, after those already there. */
    Filters(Tuple values) {
        this.values = values;
    }

    /** {@code AND column = $n} when {@code value} is not null. */
    Filters equal(String column, String value) {
        if (value != null) {
            values.addString(value);
            conditions.append(" AND ").append(column).append(" = $").append(values.size());
        }
        return this;
    }

    /** The conditions, each starting with {@code AND}; empty when no filter was given. */
    String conditions() {
        return conditions.toString();
    }

    /** The number of the next parameter, for what the statement binds after the filters (its limit, say). */
    int next() {
        return values.size() + 1;
    }
}
