package io.stagewatch.testing;

import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.quarkus.test.kubernetes.client.AbstractKubernetesTestResource;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import java.net.InetAddress;
import java.util.List;

/**
 * The fabric8 mock API server in CRUD mode, plain HTTP on a free loopback port, as {@code @WithKubernetesTestServer}
 * starts it, but as a test resource that test classes share ({@link MockCluster}): the server lives as long as the
 * application, and a test finds in it what earlier classes left there. A test injects it with
 * {@code @KubernetesTestServer KubernetesServer server}, or the client with {@code @Inject KubernetesClient}.
 */
public class MockApiServer extends AbstractKubernetesTestResource<KubernetesServer, NamespacedKubernetesClient> {

    @Override
    protected KubernetesServer createServer() {
        return new KubernetesServer(false, true, InetAddress.getLoopbackAddress(), 0, List.of());
    }

    @Override
    protected void initServer() {
        server.before();
    }

    @Override
    protected NamespacedKubernetesClient getClient() {
        return server.getClient();
    }

    @Override
    protected Class<?> getInjectedClass() {
        return KubernetesServer.class;
    }

    @Override
    protected Class<KubernetesTestServer> getInjectionAnnotation() {
        return KubernetesTestServer.class;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.after();
            server = null;
        }
    }
}
