package io.stagewatch.notification;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a webhook may post: an absolute {@code https} URL without user information, whose host is no literal address
 * that {@link ForbiddenAddresses} names and no {@code localhost}, unless the host is one of the allowed hosts, which
 * may also be reached over plain {@code http}. A host name is checked again once resolved, at every delivery.
 */
public final class WebhookUrl {

    public static final int MAX_LENGTH = 2048;

    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9a-fA-F:.]+]");

    private WebhookUrl() {}

    /**
     * The URL, checked.
     *
     * @throws IllegalArgumentException saying what is wrong with it, in words that may be shown
     */
    public static URI check(String value, Set<String> allowedHosts) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("url is required");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("url must be at most " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("url must be an absolute https URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("url must not carry user information: give a secret instead");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("url must not have a fragment");
        }
        String host = uri.getHost();
        if (isAllowed(host, allowedHosts)) {
            return uri;
        }
        if (scheme.equals("http")) {
            throw new IllegalArgumentException("url must use https (plain http only for the hosts in "
                    + "stagewatch.notify.webhook.allowed-hosts)");
        }
        String lower = host.toLowerCase(Locale.ROOT);
        if (lower.equals("localhost") || lower.endsWith(".localhost")) {
            throw new IllegalArgumentException("url must not point at localhost");
        }
        InetAddress literal = literal(host);
        if (literal != null) {
            String why = literal instanceof Inet4Address && host.startsWith("[")
                    ? "an IPv4-mapped address (::ffff:0:0/96)"
                    : ForbiddenAddresses.reason(literal);
            if (why != null) {
                throw new IllegalArgumentException("url must not point at " + why);
            }
        }
        return uri;
    }

    /** Whether the host is one of the allowed hosts (names compared without case, IPv6 literals without brackets). */
    public static boolean isAllowed(String host, Set<String> allowedHosts) {
        String bare = bare(host).toLowerCase(Locale.ROOT);
        return allowedHosts.stream()
                .anyMatch(
                        allowed -> bare(allowed.trim()).toLowerCase(Locale.ROOT).equals(bare));
    }

    /** The address a literal host names, without any lookup; null for a host name. */
    public static InetAddress literal(String host) {
        if (!IPV4_LITERAL.matcher(host).matches() && !IPV6_LITERAL.matcher(host).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(bare(host)); // a literal: parsed, never looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** {@code scheme://host} of a URL: what may be shown of a Slack webhook, whose path is its credential. */
    public static String schemeAndHost(String url) {
        try {
            URI uri = new URI(url);
            if (uri.getScheme() != null && uri.getHost() != null) {
                return uri.getScheme() + "://" + uri.getHost();
            }
        } catch (URISyntaxException e) {
            // fall through: nothing of an unparsable URL is shown
        }
        return "(unparsable URL)";
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
