package io.stagewatch.workflow;

/**
 * Which step of its workflow a run is, read from its pod's labels and annotations by the platform's profile.
 *
 * @param key         the step's identity across its attempts: an Argo node's name without its retry index, a Tekton
 *                    TaskRun's name, a Job's completion index (empty for a Job without indexes)
 * @param name        the step as a person names it (Argo's node display name, Tekton's pipeline task)
 * @param attempt     the attempt's number where the platform counts them (Argo's retry index, Tekton's
 *                    {@code -retry<N>} pod), else 0: attempts of one number are ordered by when their pods appeared
 * @param platformKey the key of the platform's {@link StepRecord} of this attempt (Argo's node ID, the TaskRun's name),
 *                    or null
 */
public record Step(String key, String name, int attempt, String platformKey) {}
