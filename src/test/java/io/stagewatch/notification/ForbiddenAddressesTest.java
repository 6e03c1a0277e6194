package io.stagewatch.notification;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every range a webhook must not reach is refused; public addresses are not. */
class ForbiddenAddressesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.255.0.9",
                "0.0.0.0",
                "0.1.2.3",
                "10.0.0.1",
                "10.255.255.255",
                "172.16.0.1",
                "172.31.255.254",
                "192.168.1.1",
                "100.64.0.1",
                "100.127.255.255",
                "169.254.169.254",
                "169.254.0.1",
                "192.0.0.170",
                "198.18.0.1",
                "224.0.0.1",
                "255.255.255.255",
                "::1",
                "::",
                "fe80::1",
                "fc00::1",
                "fd12:3456::1",
                "::ffff:127.0.0.1",
                "::ffff:10.0.0.1",
                "::127.0.0.1",
                "64:ff9b::a00:1",
                "2002:a00:1::1",
                "2001:0:4136:e378::1",
                "ff02::1",
                "fec0::1"
            })
    void forbidden(String literal) throws UnknownHostException {
        assertNotNull(ForbiddenAddresses.reason(InetAddress.getByName(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "8.8.8.8",
                "1.1.1.1",
                "172.15.255.255",
                "172.32.0.1",
                "100.63.255.255",
                "100.128.0.1",
                "169.253.255.255",
                "192.169.0.1",
                "2606:4700::1111",
                "2a00:1450:4001::200e"
            })
    void allowed(String literal) throws UnknownHostException {
        assertNull(ForbiddenAddresses.reason(InetAddress.getByName(literal)), literal);
    }
}
