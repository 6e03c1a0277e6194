package io.stagewatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stagewatch.StagewatchConfig.Api.Auth;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The token configuration: what starts, what refuses to start (with a one-line reason), and who gets which roles. */
class ApiTokensTest {

    private static final String VIEWER = "v".repeat(32);
    private static final String ADMIN = "a".repeat(40);

    @Test
    void anAdminIsAViewerTooAndAnUnknownTokenHasNoRole() {
        ApiSecurity security = security(List.of("viewer:" + VIEWER, " admin : " + ADMIN), false);
        assertEquals(Set.of("viewer"), security.rolesOf(VIEWER));
        assertEquals(Set.of("viewer", "admin"), security.rolesOf(ADMIN));
        assertEquals(Set.of(), security.rolesOf(ADMIN + "x"));
        assertEquals(Set.of(), security.rolesOf(""));
        assertEquals(Set.of(), security.anonymousRoles());
    }

    @Test
    void withoutCredentialsAnonymousCallersReadAndOnlyInsecureModeLetsThemChange() {
        assertEquals(Set.of("viewer"), security(List.of(), false).anonymousRoles());
        assertEquals(Set.of("viewer", "admin"), security(List.of(), true).anonymousRoles());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "viewer",
                "viewer:",
                "reader:0123456789abcdef0123456789abcdef",
                ":0123456789abcdef0123456789abcdef"
            })
    void aMalformedEntryRefusesToStart(String entry) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> security(List.of("admin:" + ADMIN, entry), false));
        assertEquals(
                "stagewatch.api.tokens: each entry must be viewer:<token> or admin:<token> (the entry at position 2 "
                        + "is not)",
                e.getMessage());
    }

    @Test
    void aShortTokenRefusesToStartWithoutShowingIt() {
        String secret = "s".repeat(31);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> security(List.of("viewer:" + secret), false));
        assertEquals(
                "stagewatch.api.tokens: the token at position 1 has 31 characters, fewer than 32: generate one with "
                        + "`openssl rand -hex 32`",
                e.getMessage());
        assertTrue(!e.getMessage().contains(secret));
    }

    @Test
    void everyTokenOfTheExampleSecretRefusesToStart() throws IOException {
        Matcher line = Pattern.compile("(?m)^\\s*STAGEWATCH_API_TOKENS:\\s*(\\S+)\\s*$")
                .matcher(Files.readString(Path.of("k8s/examples/secret.example.yaml")));
        assertTrue(line.find(), "the example Secret names STAGEWATCH_API_TOKENS");
        List<String> entries = Arrays.asList(line.group(1).split(","));
        assertEquals(2, entries.size());
        for (String entry : entries) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> security(List.of(entry), false), entry);
            assertTrue(e.getMessage().contains("example token of k8s/examples/secret.example.yaml"), e.getMessage());
        }
    }

    @Test
    void oidcNeedsItsTenantAndNoTokensAndTheTenantNeedsOidc() {
        assertEquals(
                "stagewatch.api.auth=oidc needs quarkus.oidc.tenant-enabled=true and quarkus.oidc.auth-server-url",
                assertThrows(IllegalArgumentException.class, () -> new ApiSecurity(List.of(), false, Auth.OIDC, false))
                        .getMessage());
        assertTrue(
                assertThrows(IllegalArgumentException.class, () -> new ApiSecurity(List.of(), false, Auth.TOKENS, true))
                        .getMessage()
                        .contains("one bearer mechanism at a time"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> new ApiSecurity(List.of("admin:" + ADMIN), false, Auth.OIDC, true))
                .getMessage()
                .contains("one bearer mechanism at a time"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ApiSecurity(List.of(), true, Auth.OIDC, true))
                .getMessage()
                .startsWith("stagewatch.api.insecure=true"));
        ApiSecurity oidc = new ApiSecurity(List.of(), false, Auth.OIDC, true);
        assertFalse(oidc.open());
        assertEquals(Set.of(), oidc.anonymousRoles());
    }

    @Test
    void insecureModeBesideTokensRefusesToStart() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> security(List.of("admin:" + ADMIN), true));
        assertTrue(e.getMessage().startsWith("stagewatch.api.insecure=true"), e.getMessage());
    }

    private static ApiSecurity security(List<String> tokens, boolean insecure) {
        return new ApiSecurity(tokens, insecure, Auth.TOKENS, false);
    }
}
