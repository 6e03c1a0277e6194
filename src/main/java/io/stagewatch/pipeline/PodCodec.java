package io.stagewatch.pipeline;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Writes a slim pod as the few hundred bytes that hold what stagewatch decides on, and reads them back. The bus keeps
 * the pods of waiting observations so: an expanded slim pod takes some 3 KB of heap, its bytes some 200.
 */
public interface PodCodec {

    byte[] compact(Pod pod);

    /** The slim pod that {@link #compact} wrote. */
    Pod expand(byte[] compact);
}
