package io.stagewatch.run;

import java.time.Instant;

/**
 * A pod none of whose regular containers has started yet.
 *
 * @param since  when its last init container finished; null when none has, and the wait counts from the run's first
 *               sighting
 * @param reason what it waits on in the kubelet's or the scheduler's words (ImagePullBackOff, Unschedulable, ...), or
 *               null when nothing is wrong yet
 */
public record StartWait(Instant since, String reason) {}
