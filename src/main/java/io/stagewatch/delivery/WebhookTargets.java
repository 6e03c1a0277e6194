package io.stagewatch.delivery;

import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.ForbiddenAddresses;
import io.stagewatch.notification.WebhookUrl;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Set;

/**
 * Where a webhook connects: its host resolved, and every address checked against {@link ForbiddenAddresses} unless the
 * host is allowed ({@code stagewatch.notify.webhook.allowed-hosts}). The delivery connects to the very address checked
 * here, so a name that resolves elsewhere a moment later (DNS rebinding) changes nothing.
 */
@ApplicationScoped
public class WebhookTargets {

    private final HostResolver resolver;
    private final Set<String> allowedHosts;

    public WebhookTargets(HostResolver resolver, StagewatchConfig config) {
        this.resolver = resolver;
        this.allowedHosts = allowedHosts(config);
    }

    /** The allowed hosts of the configuration. */
    public static Set<String> allowedHosts(StagewatchConfig config) {
        return Set.copyOf(config.notifications().webhook().allowedHosts().orElse(List.of()));
    }

    public Set<String> allowedHosts() {
        return allowedHosts;
    }

    /**
     * The address to connect to. Fails with a permanent {@link DeliveryFailure} when the URL or any address of its host
     * is forbidden, with a retryable one when the name does not resolve now.
     */
    public Uni<InetAddress> address(String url) {
        URI uri;
        try {
            uri = WebhookUrl.check(url, allowedHosts);
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(DeliveryFailure.permanent("refused: " + e.getMessage()));
        }
        String host = uri.getHost();
        InetAddress literal = WebhookUrl.literal(host);
        Uni<List<InetAddress>> addresses = literal != null
                ? Uni.createFrom().item(List.of(literal))
                : resolver.resolve(host)
                        .onFailure()
                        .transform(failure ->
                                DeliveryFailure.retry("could not resolve " + host + ": " + failure.getMessage()));
        boolean allowed = WebhookUrl.isAllowed(host, allowedHosts);
        return addresses.map(found -> {
            if (!allowed) {
                for (InetAddress address : found) {
                    String why = ForbiddenAddresses.reason(address);
                    if (why != null) {
                        throw DeliveryFailure.permanent(
                                "refused: " + host + " resolves to " + why + " (" + address.getHostAddress() + ")");
                    }
                }
            }
            return found.get(0);
        });
    }

    /**
     * The check of a webhook being saved: null when the URL may be saved, else why not. A name that does not resolve
     * now may be saved; every delivery checks it again.
     */
    public Uni<String> refusal(String url) {
        return address(url)
                .map(address -> (String) null)
                .onFailure(DeliveryFailure.class)
                .recoverWithItem(failure -> ((DeliveryFailure) failure).permanent() ? failure.getMessage() : null);
    }
}
