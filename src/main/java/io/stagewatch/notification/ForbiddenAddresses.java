package io.stagewatch.notification;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The addresses a webhook may never reach (unless its host is explicitly allowed): this host, the cluster's private
 * networks, link-local addresses with the cloud metadata service, and every IPv6 form that embeds an IPv4 address.
 */
public final class ForbiddenAddresses {

    private ForbiddenAddresses() {}

    /** Why a webhook may not connect to the address, or null when it may. */
    public static String reason(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4(b);
        }
        if (address.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (address.isAnyLocalAddress()) {
            return "the unspecified address";
        }
        if (address.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (address.isSiteLocalAddress()) {
            return "a site-local address";
        }
        if (address.isMulticastAddress()) {
            return "a multicast address";
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return "a unique local address (fc00::/7)";
        }
        if (address instanceof Inet6Address v6 && v6.isIPv4CompatibleAddress()) {
            return "an IPv4-compatible address (::/96)";
        }
        if (startsWith(b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff)) {
            return "an IPv4-mapped address (::ffff:0:0/96)";
        }
        if (startsWith(b, 0x00, 0x64, 0xff, 0x9b)) {
            return "a NAT64 address (64:ff9b::/32)";
        }
        if (startsWith(b, 0x20, 0x02)) {
            return "a 6to4 address (2002::/16)";
        }
        if (startsWith(b, 0x20, 0x01, 0x00, 0x00)) {
            return "a Teredo address (2001::/32)";
        }
        return null;
    }

    private static String ipv4(byte[] b) {
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        if (first == 127) {
            return "a loopback address (127.0.0.0/8)";
        }
        if (first == 0) {
            return "an unspecified address (0.0.0.0/8)";
        }
        if (first == 10 || (first == 172 && (second & 0xf0) == 16) || (first == 192 && second == 168)) {
            return "a private address (10/8, 172.16/12, 192.168/16)";
        }
        if (first == 100 && (second & 0xc0) == 64) {
            return "a carrier-grade NAT address (100.64/10)";
        }
        if (first == 169 && second == 254) {
            return "a link-local address (169.254/16, the cloud metadata service)";
        }
        if (first == 192 && second == 0 && (b[2] & 0xff) == 0) {
            return "an IETF protocol address (192.0.0.0/24)";
        }
        if (first == 198 && (second & 0xfe) == 18) {
            return "a benchmarking address (198.18/15)";
        }
        if (first >= 224) {
            return "a multicast, reserved or broadcast address (224/3)";
        }
        return null;
    }

    private static boolean startsWith(byte[] address, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((address[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
