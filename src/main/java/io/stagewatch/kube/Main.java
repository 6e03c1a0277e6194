package io.stagewatch.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.time.Duration;

/**
 * stagewatch's entry point. Run with the single argument {@value ReleaseFinalizers#COMMAND} it releases every pod it
 * holds and exits ({@link ReleaseFinalizers}), before Quarkus starts anything: no database connection, no informer, no
 * scheduler, no outbox. Its Kubernetes client is configured as the service's would be by default: the in-cluster
 * service account, or KUBECONFIG. Any other arguments start the service.
 */
@QuarkusMain
public final class Main {

    private Main() {}

    public static void main(String... args) throws InterruptedException {
        if (args.length == 1 && args[0].equals(ReleaseFinalizers.COMMAND)) {
            int code;
            try (KubernetesClient client = new KubernetesClientBuilder().build()) {
                code = new ReleaseFinalizers(
                                client, System.getenv(), System.out, Duration.ofSeconds(2), Duration.ofMinutes(5))
                        .run();
            }
            System.exit(code);
        }
        Quarkus.run(args);
    }
}
