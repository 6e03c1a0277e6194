package io.stagewatch.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.SmallRyeConfigBuilder;
import io.stagewatch.StagewatchConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A cluster name is a DNS label, by the same rule for the setting (checked as the configuration is read, before Flyway
 * writes it into a default) and for what the domain checks (rules, API parameters, kubeconfig file names).
 */
class ClusterNameTest {

    @ParameterizedTest
    @CsvSource({
        "default,true",
        "east,true",
        "eu-west-1,true",
        "a,true",
        "0,true",
        "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123,true",
        "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234,false",
        "East,false",
        "-east,false",
        "east-,false",
        "east.1,false",
        "east_1,false",
        "'east''; DROP TABLE runs; --',false",
        "'',false"
    })
    void aClusterNameIsADnsLabelForTheSettingAndForTheDomainAlike(String name, boolean valid) {
        assertEquals(valid, ClusterName.isValid(name), "domain: " + name);
        StagewatchConfig.DnsLabel setting = new StagewatchConfig.DnsLabel();
        if (valid) {
            assertEquals(name, setting.convert(name));
        } else {
            assertThrows(IllegalArgumentException.class, () -> setting.convert(name), "setting: " + name);
        }
    }

    @ParameterizedTest
    @CsvSource({"East", "'a''b'"})
    void aBadSettingStopsTheConfigurationFromBeingReadWithOneLineNamingIt(String name) {
        var failure = assertThrows(
                RuntimeException.class,
                () -> new SmallRyeConfigBuilder()
                        .withMapping(StagewatchConfig.class)
                        .withDefaultValue("stagewatch.cluster.name", name)
                        .build()
                        .getConfigMapping(StagewatchConfig.class));
        String message = failure.getMessage();
        assertTrue(message.contains("stagewatch.cluster.name") && message.contains("is not a cluster name"), message);
    }
}
