package io.stagewatch.pipeline;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says yes the first time it sees a key, for warnings logged once per pod and problem. It remembers a bounded number
 * of keys, and when full forgets them all, so that a flood of bad pods costs bounded memory and an occasional repeat.
 */
final class OncePerKey {

    private static final int CAPACITY = 10_000;

    private final int capacity;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();

    OncePerKey() {
        this(CAPACITY);
    }

    OncePerKey(int capacity) {
        this.capacity = capacity;
    }

    /** True when the key was not seen since this set last forgot. */
    boolean first(String key) {
        if (seen.contains(key)) {
            return false;
        }
        if (seen.size() >= capacity) {
            seen.clear();
        }
        return seen.add(key);
    }
}
