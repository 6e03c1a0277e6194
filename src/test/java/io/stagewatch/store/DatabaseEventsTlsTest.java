package io.stagewatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The LISTEN connection of DatabaseEvents connects on its own, not from the pool: it takes the reactive datasource's
 * TLS settings (the Helm chart's database.sslmode and CA) as the pool does, or a server that refuses unencrypted
 * connections refuses it.
 */
class DatabaseEventsTlsTest {

    @Test
    void verifyFullWithTheCaChecksTheCertificateAndTheHostName() {
        PgConnectOptions options = DatabaseEvents.tls(
                PgConnectOptions.fromUri("postgresql://db:5432/stagewatch"),
                Optional.of("verify-full"),
                false,
                Optional.of(List.of("/etc/stagewatch/database-ca/ca.crt")),
                Optional.of("HTTPS"));
        assertEquals(SslMode.VERIFY_FULL, options.getSslMode());
        assertFalse(options.isTrustAll());
        assertEquals(
                List.of("/etc/stagewatch/database-ca/ca.crt"),
                ((PemTrustOptions) options.getTrustOptions()).getCertPaths());
        assertEquals("HTTPS", options.getHostnameVerificationAlgorithm());
    }

    @Test
    void requireWithoutCaEncryptsWithoutChecking() {
        PgConnectOptions options = DatabaseEvents.tls(
                PgConnectOptions.fromUri("postgresql://db:5432/stagewatch"),
                Optional.of("require"),
                true,
                Optional.empty(),
                Optional.empty());
        assertEquals(SslMode.REQUIRE, options.getSslMode());
        assertTrue(options.isTrustAll());
    }

    @Test
    void unsetLeavesTheDefaults() {
        PgConnectOptions options = DatabaseEvents.tls(
                PgConnectOptions.fromUri("postgresql://db:5432/stagewatch"),
                Optional.empty(),
                false,
                Optional.empty(),
                Optional.of("NONE"));
        assertEquals(SslMode.DISABLE, options.getSslMode());
        assertNull(options.getTrustOptions());
    }
}
