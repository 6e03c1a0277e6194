package io.stagewatch.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.store.ClusterBindingRepository;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * Binds {@code stagewatch.cluster.name} to the cluster's identity, the UID of its {@code kube-system} namespace, in the
 * database, before anything of the cluster is watched: an instance whose cluster is not the one the name is bound to
 * refuses to start, with one line saying why, so that two clusters under one name (both left on {@code default}) never
 * share a database, where each would judge the other's runs vanished. Where the namespace cannot be read (no rights,
 * k8s/rbac/common/clusterrole-identity.yaml), the name is recorded but not checked, with a warning.
 */
@ApplicationScoped
public class ClusterBinding {

    private static final Logger LOG = Logger.getLogger(ClusterBinding.class);
    private static final String IDENTITY_NAMESPACE = "kube-system";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KubernetesClient client;
    private final ClusterBindingRepository bindings;
    private final String name;

    public ClusterBinding(KubernetesClient client, ClusterBindingRepository bindings, StagewatchConfig config) {
        this.client = client;
        this.bindings = bindings;
        this.name = config.cluster().name();
    }

    /** Before the informers and the pipeline start (their observers have the default, later, priority). */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        bind(name, identity()).await().atMost(TIMEOUT);
    }

    /**
     * Binds the name to the identity (null: unknown).
     *
     * @return a failure, {@link NameTaken}, when the name is bound to another cluster
     */
    Uni<Void> bind(String name, String identity) {
        return bindings.bind(name, identity)
                .invoke(bound -> {
                    if (identity == null) {
                        LOG.warnf(
                                "Cannot read the %s namespace of cluster '%s': its name is not checked against the"
                                        + " other clusters of the database (grant k8s/rbac/common/clusterrole-identity.yaml)",
                                IDENTITY_NAMESPACE, name);
                    } else if (!identity.equals(bound)) {
                        throw new NameTaken(name, bound, identity);
                    }
                })
                .replaceWithVoid();
    }

    /** The UID of the cluster's kube-system namespace, or null when it cannot be read. */
    String identity() {
        try {
            Namespace namespace =
                    client.namespaces().withName(IDENTITY_NAMESPACE).get();
            return namespace == null || namespace.getMetadata() == null
                    ? null
                    : namespace.getMetadata().getUid();
        } catch (KubernetesClientException e) {
            return null;
        }
    }

    /** The name is another cluster's: the instance must not start. */
    static final class NameTaken extends IllegalStateException {
        NameTaken(String name, String bound, String identity) {
            super("stagewatch.cluster.name '" + name + "' is bound to another cluster in this database (kube-system"
                    + " namespace UID " + bound + ", this cluster's is " + identity
                    + "): give this cluster a name of its own");
        }
    }
}
