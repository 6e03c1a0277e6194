package io.stagewatch.delivery;

import io.smallrye.mutiny.Uni;
import java.net.InetAddress;
import java.util.List;

/** Resolves a webhook's host name to its addresses. A bean, so that tests can make a name resolve where they want. */
public interface HostResolver {

    /** Every address of the name; fails with {@link java.net.UnknownHostException} when it has none. */
    Uni<List<InetAddress>> resolve(String host);
}
