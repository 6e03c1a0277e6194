package io.stagewatch;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Every setting of stagewatch itself. Database, Kubernetes and mail connections use the standard Quarkus keys
 * ({@code quarkus.datasource.*}, {@code quarkus.kubernetes-client.*}, {@code quarkus.mailer.*}).
 */
@ConfigMapping(prefix = "stagewatch")
public interface StagewatchConfig {

    /** The cluster this instance's own Kubernetes client points at (in-cluster or {@code KUBECONFIG}). */
    Cluster cluster();

    interface Cluster {
        /**
         * The cluster's name, a DNS label ({@code [a-z0-9]([-a-z0-9]*[a-z0-9])?}, at most 63 characters): every run
         * recorded from it carries it, and the name is bound to the cluster's identity in the database, so that two
         * clusters cannot share a database under one name. A bad value refuses start, before the database is migrated
         * (the migration that adds the runs' cluster gives existing runs this name).
         */
        @WithDefault("default")
        @WithConverter(DnsLabel.class)
        String name();
    }

    /** Namespaces whose pods are watched; empty (the default) watches every namespace. */
    Optional<List<String>> namespaces();

    /**
     * The profiles enabled, comma-separated: {@code devtron}, {@code tekton}, {@code argo}, {@code job},
     * {@code stagewatch}. They are tried in that order, the most specific first, whatever the order here; a pod belongs
     * to the first that claims it.
     */
    @WithDefault("stagewatch")
    List<String> profiles();

    /** Per-profile settings; each profile's namespaces narrow {@code stagewatch.namespaces}. */
    @WithName("profile")
    ProfileSettings profileSettings();

    /** Label keys read from workflow pods. */
    Labels labels();

    /** Annotation keys read from workflow pods. */
    Annotations annotations();

    /** The scheduled, authoritative reconciliation against a LIST of the API server. */
    Reconcile reconcile();

    /** The merged observation stream. */
    Pipeline pipeline();

    /** The notification outbox and its processor. */
    Outbox outbox();

    /** Whom pods may have stagewatch mail, and where webhooks may post ({@code notify()} is Object's, hence the name). */
    @WithName("notify")
    Notify notifications();

    /** The web user interface, as linked from mails. */
    Ui ui();

    /** The server-sent-event feed of transitions. */
    Feed feed();

    /** Access to the REST API and the feed. */
    Api api();

    /** The status-capture finalizer. */
    Finalizer finalizer();

    /** How long finished runs are kept. */
    Retention retention();

    /** The nodes the workflow pods run on: runs at risk on a failing node, NODE_LOST once Kubernetes gives up on it. */
    Nodes nodes();

    interface Nodes {
        /**
         * Whether stagewatch watches the cluster's Nodes (cluster-scoped get, list and watch) to flag the unfinished
         * runs on a node that is not Ready or is tainted unreachable or not-ready, and to fail them with reason
         * NODE_LOST once Kubernetes gives up on the node. Without it, or without the right, runs on a lost node stay
         * RUNNING until their pod is deleted.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * How long a deleted node may take to register again (a node whose kubelet is alive does) before the runs of
         * the pods still on it fail with reason NODE_LOST; Kubernetes' pod garbage collector waits as long.
         */
        @WithDefault("40s")
        Duration deletedGrace();
    }

    /** A verdict per workflow (an Argo Workflow, a Tekton PipelineRun or TaskRun, a Job), from its runs. */
    Workflows workflows();

    interface Workflows {
        /**
         * How long a workflow whose object is gone, or was never readable (no CRD, no right), waits with every run
         * terminal for a new pod of it before its verdict is final, decided from its pods alone.
         */
        @WithDefault("30s")
        Duration settle();

        /**
         * How long every run of a workflow may have been terminal while its platform never says the object finished;
         * then the workflow is FAILED with reason PLATFORM_STUCK (cause INFRASTRUCTURE).
         */
        @WithDefault("30m")
        Duration stuckAfter();
    }

    /** Notification rules kept in a file (rules as code). */
    Rules rules();

    interface Rules {
        /**
         * A YAML or JSON file {@code {"rules": [...]}}, each rule as the API takes it (a webhook's secret named by
         * {@code secretEnv}, never inline). Loaded at start and within a minute of a change, and stored as the rules of
         * {@code owner}, which only the file changes. Unset: {@code owner} has no file rules (any stored are removed).
         */
        Optional<Path> file();

        /**
         * Whose rules the file holds: instances that share a database and a file name the same owner, instances of
         * other clusters another one, and a file replaces only its own owner's rules.
         */
        @WithDefault("${stagewatch.cluster.name:default}")
        String owner();
    }

    interface Retention {
        /**
         * Runs that finished, and were first seen, longer ago than this are deleted with their transitions and
         * notifications, a batch per reconcile interval, once their pod is gone from the cluster.
         */
        @WithDefault("90d")
        Duration maxAge();
    }

    interface ProfileSettings {
        /** Pods that carry stagewatch's own stage label. */
        Own stagewatch();

        /** Devtron's CI, Pre-CD and Post-CD pods, under its SYSTEM (Job) and AWF (Argo) executors. */
        Devtron devtron();

        /** Argo Workflows step pods. */
        Platform argo();

        /** Tekton TaskRun pods. */
        Platform tekton();

        /** Pods of Kubernetes Jobs, opt-in by selector. */
        Job job();

        interface Own {
            /** Namespaces of its pods; unset: every namespace of {@code stagewatch.namespaces}. */
            Optional<List<String>> namespaces();

            /** A label selector its pods must match besides carrying the stage label; unset: none. */
            Optional<String> selector();
        }

        interface Devtron {
            /**
             * Namespaces of Devtron's workflow pods; every Argo step pod in them is Devtron's. Add the application
             * namespaces of pipelines that run their stages "in the environment".
             */
            @WithDefault("devtron-ci,devtron-cd")
            List<String> namespaces();

            /** The Devtron installation (its {@code devtron.ai/owner-instance} UCID) whose SYSTEM pods are watched; unset: any. */
            Optional<String> ownerInstance();
        }

        interface Platform {
            /** Namespaces of its pods; unset: every namespace of {@code stagewatch.namespaces}. */
            Optional<List<String>> namespaces();

            /** Stage of pods without the stage label ({@code ci}, {@code pre-cd}, {@code post-cd}). */
            @WithDefault("ci")
            String stage();

            /** A label selector its pods must match as well; unset: none. */
            Optional<String> selector();
        }

        interface Job {
            /** Namespaces of its pods; unset: every namespace of {@code stagewatch.namespaces}. */
            Optional<List<String>> namespaces();

            /** Stage of pods without the stage label ({@code ci}, {@code pre-cd}, {@code post-cd}). */
            @WithDefault("ci")
            String stage();

            /**
             * The label selector of the Jobs' pods to watch; required when the profile is enabled, so that ordinary
             * Jobs are never swept in.
             */
            Optional<String> selector();

            /** Label naming the pipeline; unset: the pipeline label, else the Job name without its generated suffix. */
            Optional<String> pipelineLabel();
        }
    }

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

        /**
         * A run none of whose regular containers has started this long after its last init container finished (or
         * after stagewatch first saw it, when no init container has) fails with reason START_TIMEOUT.
         */
        @WithDefault("15m")
        Duration pendingTimeout();

        /** Pods per page of the paginated LISTs: the reconcile pass's and the informer's. */
        @WithDefault("500")
        long pageSize();

        /**
         * How often the informers are checked; one that stopped, or has not been watching on two checks in a row, is
         * restarted. Independent of the passes, so a failing pass never leaves the watch stopped.
         */
        @WithDefault("15s")
        Duration watchdogInterval();
    }

    interface Pipeline {
        /** Parallel lanes; the observations of one run always go through the same lane, in order. */
        @WithDefault("64")
        int lanes();

        /** Transactions committing transitions at once; decisions made meanwhile wait and are committed together. */
        @WithDefault("4")
        int writers();

        /** Most transitions committed in one transaction. */
        @WithDefault("64")
        int batchSize();

        /**
         * Runs with an observation waiting to be decided; beyond this new ones are dropped (and counted) until the next
         * reconcile pass. At startup every live workflow pod waits at once, some 350 bytes of heap each: keep it above
         * the pods a replica watches.
         */
        @WithDefault("100000")
        int capacity();

        /** Longest wait between two attempts to persist a decision while the database is unreachable. */
        @WithDefault("5s")
        Duration maxRetryBackoff();
    }

    interface Outbox {
        /** Whether this instance sends mail from the outbox; rows are queued either way. */
        @WithDefault("true")
        boolean enabled();

        /** Polling backstop: how often the outbox is checked when no NOTIFY arrived. */
        @WithDefault("5s")
        Duration pollInterval();

        /** How long a claimed row is reserved for its processor; an expired lease makes the row due again. */
        @WithDefault("60s")
        Duration lease();

        /**
         * Rows claimed at once, at most: never more than {@code concurrency} × (lease ÷ send-timeout), so that every
         * claimed row can be sent within its lease even when each send runs into the timeout.
         */
        @WithDefault("200")
        int batchSize();

        /**
         * Time without an answer after which a mail is late (it is waited for until its lease has only a margin left,
         * then counts as a failed attempt, with backoff) and a webhook request fails. Must be shorter than the lease.
         */
        @WithDefault("10s")
        Duration sendTimeout();

        /** Mails sent in parallel by one instance; keep {@code quarkus.mailer.max-pool-size} at least as large. */
        @WithDefault("32")
        int concurrency();

        /** Attempts before a row is marked DEAD (an operator can retry it over REST). */
        @WithDefault("10")
        int maxAttempts();

        /** Pause before the next attempt after a failure, doubled each time, with jitter. */
        Backoff backoff();

        interface Backoff {
            /** The first pause. */
            @WithDefault("5s")
            Duration initial();

            /** The longest pause. */
            @WithDefault("10m")
            Duration max();
        }
    }

    interface Finalizer {
        /**
         * Whether stagewatch holds each workflow pod with the finalizer {@code stagewatch.io/status-capture} until the
         * pod's terminal status is committed, so that no outcome is lost to a deletion while stagewatch is down or
         * behind. Needs the {@code patch} verb on pods.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * Longest time a pod whose deletion was requested stays held, even when its outcome could not be recorded
         * (the database is down): drains and namespace deletions never wait on stagewatch for longer. Held pods carry
         * the label {@code stagewatch.io/held}; a sweep every reconcile interval releases those held too long and those
         * out of scope (no enabled profile claims them: namespace not watched, labels gone or changed), and, when the feature is switched off, one
         * pass at startup releases every held pod.
         */
        @WithDefault("5m")
        Duration maxHold();
    }

    interface Notify {
        /**
         * Recipients one pod's notify annotation may name; further addresses are refused, counted in
         * {@code stagewatch.notify.recipients.refused{why="too-many"}} and logged once per pod.
         */
        @WithDefault("10")
        int maxAnnotationRecipients();

        /** Namespaces whose pods may name recipients in the notify annotation; unset: every watched namespace. */
        Optional<List<String>> annotationNamespaces();

        /**
         * Domains stagewatch may mail (exact, e.g. {@code example.org}); unset: any. Annotation recipients elsewhere
         * are refused and counted; a rule naming another domain is a 400.
         */
        Optional<List<String>> allowedDomains();

        /** Webhook and Slack deliveries. */
        Webhook webhook();

        interface Webhook {
            /**
             * Hosts a webhook may reach although they are not public: plain {@code http} is allowed for them, and
             * their addresses are not checked (loopback, private, link-local, ...). Names as they appear in the URL.
             */
            Optional<List<String>> allowedHosts();
        }
    }

    interface Api {
        /**
         * Bearer tokens, each {@code role:token} with role {@code viewer} (read endpoints and the feed) or
         * {@code admin} (everything, including rule changes and notification retries), each of 32 or more
         * characters (shorter ones, and the example tokens of k8s/examples/secret.example.yaml, refuse to start). Unset:
         * anyone may read, nobody may change (unless {@code insecure}), and the service says so at startup.
         */
        Optional<List<String>> tokens();

        /**
         * Without credentials, anonymous callers may change too (rules, retries): for a demo on a laptop only. The
         * status page shows a banner while it is on. Refused together with tokens.
         */
        @WithDefault("false")
        boolean insecure();

        /**
         * How bearer tokens are checked: {@code tokens} (those of {@code stagewatch.api.tokens}) or {@code oidc}
         * (access tokens of the OpenID Connect issuer {@code quarkus.oidc.auth-server-url}, verified by quarkus-oidc,
         * whose tenant must then be switched on with {@code quarkus.oidc.tenant-enabled=true}). One at a time.
         */
        @WithDefault("tokens")
        Auth auth();

        /** How the roles of an OIDC access token become stagewatch's. */
        Oidc oidc();

        enum Auth {
            TOKENS,
            OIDC
        }

        interface Oidc {
            /**
             * The claim holding the token's groups or roles (a path such as {@code realm_access/roles} reaches into
             * nested claims); a token without it has no role.
             */
            @WithDefault("groups")
            String rolesClaim();

            /** Values of the roles claim that make the caller a viewer. */
            @WithDefault("stagewatch-viewer")
            List<String> viewerRoles();

            /** Values of the roles claim that make the caller an admin (and a viewer). */
            @WithDefault("stagewatch-admin")
            List<String> adminRoles();
        }
    }

    interface Feed {
        /** A comment line sent this often keeps idle connections open through proxies. */
        @WithDefault("15s")
        Duration heartbeat();

        /**
         * Events held for one client; a client that falls further behind is disconnected (it resumes by id). The feed
         * publishes up to 256 events at once, so keep this well above that.
         */
        @WithDefault("1000")
        int buffer();

        /** Feed clients one instance serves at most; the next one gets a 503 with Retry-After. */
        @WithDefault("1000")
        int maxClients();

        /**
         * Feed clients one credential (a token; for OIDC, a subject) holds at most on one instance; the next one gets
         * the same 503 with Retry-After, and other credentials are not affected. Anonymous clients have only
         * {@code max-clients}.
         */
        @WithDefault("50")
        int maxClientsPerToken();

        /** How often the feed looks for committed transitions when no NOTIFY arrived. */
        @WithDefault("1s")
        Duration pollInterval();
    }

    interface Ui {
        /** Base URL of the status page; mails link to {@code <base-url>/runs/<uid>} when it is set. */
        Optional<String> baseUrl();
    }

    /**
     * Checks a cluster name as the configuration is read, so that a bad one stops the start before anything (Flyway
     * writes the name into the runs' default). The same rule as {@code run/ClusterName}'s, which the configuration
     * cannot use (it depends on no package of ours); {@code ClusterNameTest} holds the two to one table.
     */
    final class DnsLabel implements Converter<String> {

        private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

        @Override
        public String convert(String value) {
            if (!LABEL.matcher(value).matches()) {
                throw new IllegalArgumentException("'" + value + "' is not a cluster name: a DNS label (lower-case"
                        + " letters, digits and '-', at most 63 characters, a letter or digit at each end) is");
            }
            return value;
        }
    }
}
