/**
 * Domain: a run and how it is decided, pure (no Quarkus, no I/O): {@code PodClassifier} turns a pod into a verdict,
 * {@code RunStateMachine} a status and a verdict into a decision.
 */
package io.stagewatch.run;
