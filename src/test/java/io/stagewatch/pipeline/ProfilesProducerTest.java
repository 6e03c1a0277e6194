package io.stagewatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stagewatch.platform.Profile;
import io.stagewatch.platform.Profiles;
import io.stagewatch.run.Platform;
import io.stagewatch.testing.AllProfiles;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The profiles the configuration enables, and the settings that stop the start with a message naming the key. */
class ProfilesProducerTest {

    private static Profiles build(Map<String, String> settings) {
        return ProfilesProducer.build(AllProfiles.config(settings));
    }

    private static Profile profile(Profiles profiles, Platform platform) {
        return profiles.enabled().stream()
                .filter(p -> p.platform() == platform)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theDefaultIsStagewatchsOwnProfileOnEveryNamespace() {
        Profiles profiles = build(Map.of("stagewatch.profiles", "stagewatch"));
        assertEquals(
                List.of(Platform.STAGEWATCH),
                profiles.enabled().stream().map(Profile::platform).toList());
        assertEquals(Set.of(), profiles.enabled().get(0).namespaces());
    }

    @Test
    void profileNamespacesNarrowTheWatchedOnes() {
        Profiles profiles = build(Map.of(
                "stagewatch.namespaces", "devtron-ci,argo,ci", "stagewatch.profile.argo.namespaces", "argo,elsewhere"));
        assertEquals(
                Set.of("devtron-ci"), profile(profiles, Platform.DEVTRON).namespaces(), "devtron-cd is not watched");
        assertEquals(Set.of("argo"), profile(profiles, Platform.ARGO).namespaces());
        assertEquals(
                Set.of("devtron-ci", "argo", "ci"),
                profile(profiles, Platform.TEKTON).namespaces());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "stagewatch.profiles; argo,gitlab; stagewatch.profiles: 'gitlab' is not one of",
                "stagewatch.profile.job.selector; ''; stagewatch.profile.job.selector is required",
                "stagewatch.profile.argo.selector; bad key; stagewatch.profile.argo.selector:",
                "stagewatch.profile.tekton.stage; deploy; stagewatch.profile.tekton.stage: 'deploy' is not one of",
                "stagewatch.namespaces; ci; stagewatch.profile.devtron.namespaces [devtron-ci, devtron-cd] names none of"
            })
    void aSettingThatCannotWorkStopsTheStartNamingItsKey(String key, String value, String message) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> build(Map.of(key, value)));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}
