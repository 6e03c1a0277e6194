package io.stagewatch;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every setting of stagewatch itself. Database, Kubernetes and mail connections use the standard Quarkus keys
 * ({@code quarkus.datasource.*}, {@code quarkus.kubernetes-client.*}, {@code quarkus.mailer.*}).
 */
@ConfigMapping(prefix = "stagewatch")
public interface StagewatchConfig {

    /** Namespaces whose pods are watched; empty (the default) watches every namespace. */
    Optional<List<String>> namespaces();

    /** Label keys read from workflow pods. */
    Labels labels();

    /** Annotation keys read from workflow pods. */
    Annotations annotations();

    /** The scheduled, authoritative reconciliation against a LIST of the API server. */
    Reconcile reconcile();

    /** The merged observation stream. */
    Pipeline pipeline();

    interface Labels {
        /** Label naming the stage ({@code ci}, {@code pre-cd}, {@code post-cd}); pods without it are ignored. */
        @WithDefault("stagewatch.io/stage")
        String stage();

        /** Label with the workflow name shown to users; the pod name when absent. */
        @WithDefault("stagewatch.io/workflow")
        String workflow();

        /** Label with the pipeline name, used by notification rules. */
        @WithDefault("stagewatch.io/pipeline")
        String pipeline();

        /** Label with the application name (optional). */
        @WithDefault("stagewatch.io/app")
        String app();

        /** Label with the target environment (optional). */
        @WithDefault("stagewatch.io/environment")
        String environment();
    }

    interface Annotations {
        /** Annotation with extra notification recipients, comma-separated addresses. */
        @WithName("notify")
        @WithDefault("stagewatch.io/notify")
        String notifyRecipients();
    }

    interface Reconcile {
        /** How often every workflow pod is listed and compared with the stored runs. */
        @WithDefault("30s")
        Duration interval();

        /** A run still PENDING this long after stagewatch first saw it fails with reason START_TIMEOUT. */
        @WithDefault("15m")
        Duration pendingTimeout();

        /** Pods per page of the paginated LIST. */
        @WithDefault("500")
        long pageSize();
    }

    interface Pipeline {
        /** Parallel lanes; the observations of one run always go through the same lane, in order. */
        @WithDefault("16")
        int lanes();

        /** Observations waiting to be decided; beyond this new ones are dropped (and counted) until the next reconcile pass. */
        @WithDefault("20000")
        int capacity();

        /** Longest wait between two attempts to persist a decision while the database is unreachable. */
        @WithDefault("5s")
        Duration maxRetryBackoff();
    }
}
