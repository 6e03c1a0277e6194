package io.stagewatch.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import io.stagewatch.platform.Profile;
import io.stagewatch.platform.Profile.Claim;
import io.stagewatch.run.Platform;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: the no-op rate of {@link IngestBenchmark} again, with every profile enabled, for
 * {@link ProfilesReport} ({@code target/bench/profiles.json}) to set next to the rate with the default profile alone.
 * Same sizes and the same phases before it, in an application of its own: warm-up, then the
 * {@code bench.pods} pods' lives (not reported here), then their final states redelivered
 * {@code bench.noop.observations} times, each decided in full (the pipeline is told to reconsider the run first: a
 * version already decided on would be left out by the bus before any profile is tried).
 *
 * <p>
 * The worst case for the claim: the pods carry stagewatch's labels only, and the profiles are tried from the most
 * specific, so every redelivery is refused by devtron, tekton, argo and job before stagewatch claims it. The settings
 * make each refusal as late as it can be: the pods' namespace is one of Devtron's (so both its selectors are tested,
 * not only the namespace), and the job profile's selector is the stage label (so it matches, and the job-name label
 * is looked up before the pod is refused).
 */
@QuarkusTest
@WithKubernetesTestServer
@TestProfile(ProfilesBenchmark.EveryProfile.class)
@Tag("bench")
class ProfilesBenchmark extends BusBenchmark {

    private static final Logger LOG = Logger.getLogger(ProfilesBenchmark.class);

    /** The benchmark's application with every profile enabled, each refusing the benchmark's pods as late as it can. */
    public static class EveryProfile extends BenchProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new LinkedHashMap<>(super.getConfigOverrides());
            overrides.put("stagewatch.profiles", "devtron,tekton,argo,job,stagewatch");
            overrides.put("stagewatch.profile.devtron.namespaces", Workload.NAMESPACE);
            overrides.put("stagewatch.profile.job.selector", "stagewatch.io/stage");
            return overrides;
        }
    }

    @Test
    void noopsWithEveryProfileEnabled() throws Exception {
        Workload warmup = Workload.create("warmup", WARMUP_PODS);
        Workload load = Workload.create("load", PODS);
        ObjectMeta pod = load.state(0, 2).getMetadata();
        assertEquals(Platform.values().length, profiles.enabled().size(), "every profile is enabled");
        for (Profile profile : profiles.enabled()) {
            String name = profile.platform().id();
            assertTrue(
                    profiles.watches(name, Workload.NAMESPACE),
                    name + " reads the pods' labels, not only their namespace");
            assertEquals(
                    profile.platform() == Platform.STAGEWATCH ? Claim.RUN : Claim.NONE,
                    profile.claim(pod),
                    name + ": only the last profile tried claims the pods");
        }
        attachRecorder(3 * (WARMUP_PODS + PODS) + 1_000);
        double droppedBefore = dropped();

        LOG.infof("bench: warm-up, %d pods", WARMUP_PODS);
        warmUp(warmup);
        LOG.infof("bench: %d pods = %d transitions, the runs the no-ops redeliver", PODS, PODS * Workload.STEPS);
        runFlatOut(load, WINDOW);
        assertEquals(
                0,
                count("SELECT count(*) FROM runs WHERE status <> 'SUCCEEDED' OR platform <> 'stagewatch'"),
                "every run ends SUCCEEDED, claimed by the stagewatch profile");

        LOG.infof("bench: no-ops, %d redelivered observations, profiles %s", NOOP_OBSERVATIONS, enabledProfiles());
        String loadBeforeNoops = loadAverage();
        Phase noop = noops(load, NOOP_OBSERVATIONS, true);
        assertEquals(droppedBefore, dropped(), "no observation was dropped");
        ProfilesReport.add(ProfilesReport.ALL_PROFILES, enabledProfiles(), noop, loadBeforeNoops, loadAverage());
    }
}
