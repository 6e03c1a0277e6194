package io.stagewatch.delivery;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** The system's resolver (hosts file, DNS), on a worker thread: the lookup blocks. */
@ApplicationScoped
public class SystemHostResolver implements HostResolver {

    @Override
    public Uni<List<InetAddress>> resolve(String host) {
        return Uni.createFrom().item(() -> lookUp(host)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static List<InetAddress> lookUp(String host) {
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }
}
