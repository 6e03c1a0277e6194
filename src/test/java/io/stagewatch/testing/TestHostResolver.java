package io.stagewatch.testing;

import io.smallrye.mutiny.Uni;
import io.stagewatch.delivery.HostResolver;
import io.stagewatch.delivery.SystemHostResolver;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The webhooks' resolver in every Quarkus test: names a test has pointed somewhere with {@link #point} resolve there,
 * offline (a name that resolves to loopback, a name that changes its answer); every other name goes to the system.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class TestHostResolver implements HostResolver {

    private static final Map<String, InetAddress> POINTED = new ConcurrentHashMap<>();
    private final SystemHostResolver system = new SystemHostResolver();

    /** From now on {@code name} resolves to {@code address} (a literal). */
    public static void point(String name, String address) {
        try {
            POINTED.put(name, InetAddress.getByName(address));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + address, e);
        }
    }

    @Override
    public Uni<List<InetAddress>> resolve(String host) {
        InetAddress pointed = POINTED.get(host);
        return pointed != null ? Uni.createFrom().item(List.of(pointed)) : system.resolve(host);
    }
}
