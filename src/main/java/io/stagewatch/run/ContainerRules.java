package io.stagewatch.run;

/**
 * Which containers of a pod decide its run, and how: the platform's container layout. Stagewatch's own rule requires
 * every container; a platform with helper containers names its primary ones and lets the others go.
 */
public interface ContainerRules {

    /** What one container's end means for the run. */
    enum Role {
        /** Must terminate with exit code 0 (and not OOM-killed): the job itself, and the helpers the platform needs. */
        REQUIRED,
        /**
         * A sidecar the platform kills once the required containers are done: exit 0, 137 or 143 after the last required
         * regular container finished does not count; any other non-zero exit, or a kill before then, fails the run.
         */
        KILLED_AFTER,
        /** Never counts, whatever its exit code (Tekton's sidecars, which Tekton stops itself). */
        IGNORED
    }

    /**
     * Every regular container and every init container that is not a native sidecar is required, and the phase must
     * be {@code Succeeded}.
     */
    ContainerRules ALL = new ContainerRules() {
        @Override
        public Role role(String name, boolean init) {
            return Role.REQUIRED;
        }

        @Override
        public boolean successMayEndFailed() {
            return false;
        }
    };

    /** The role of a container; {@code init} for init containers that are not native sidecars. */
    Role role(String name, boolean init);

    /**
     * True when the platform's own handling of sidecars ends a successful pod in phase {@code Failed} (a killed
     * sidecar exits non-zero): then a {@code Failed} pod whose containers all pass these rules is a success.
     */
    boolean successMayEndFailed();
}
