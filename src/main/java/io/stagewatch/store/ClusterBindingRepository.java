package io.stagewatch.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** The cluster names in use, each bound to its cluster's identity. */
@ApplicationScoped
public class ClusterBindingRepository {

    /**
     * Records the name, bound to $2 unless it is bound already (an unknown identity, NULL, binds nothing), and returns
     * the identity it is bound to afterwards. The update of a name already recorded locks its row, so that two instances
     * starting at once read the same binding.
     */
    private static final String BIND = """
            INSERT INTO cluster_bindings (name, identity) VALUES ($1, $2)
            ON CONFLICT (name) DO UPDATE SET identity = COALESCE(cluster_bindings.identity, EXCLUDED.identity)
            RETURNING identity""";

    private final Pool pool;

    public ClusterBindingRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Binds the name to the identity, when the identity is known and the name bound to none yet.
     *
     * @return the identity the name is bound to: {@code identity} when it is the first, another when the name is another
     *     cluster's, null when no instance of it could tell its identity yet
     */
    public Uni<String> bind(String name, String identity) {
        return pool.preparedQuery(BIND)
                .execute(Tuple.of(name, identity))
                .map(rows -> Rows.first(rows, row -> row.getString("identity")));
    }

    /** Every cluster name an instance has watched, in alphabetical order. */
    public Uni<List<String>> names() {
        return pool.preparedQuery("SELECT name FROM cluster_bindings ORDER BY name")
                .execute()
                .map(rows -> Rows.list(rows, row -> row.getString("name")));
    }
}
