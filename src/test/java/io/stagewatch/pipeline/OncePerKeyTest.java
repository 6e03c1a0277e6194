package io.stagewatch.pipeline;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OncePerKeyTest {

    @Test
    void aKeyIsFirstOnlyOnce() {
        OncePerKey once = new OncePerKey(3);

        assertTrue(once.first("pod-a"));
        assertFalse(once.first("pod-a"));
        assertTrue(once.first("pod-b"));
        assertFalse(once.first("pod-a"));
    }

    @Test
    void whenFullItForgetsEveryKey() {
        OncePerKey once = new OncePerKey(2);
        once.first("pod-a");
        once.first("pod-b");

        assertTrue(once.first("pod-c"), "a new key when full is first");
        assertTrue(once.first("pod-a"), "the keys seen before were forgotten");
        assertFalse(once.first("pod-c"), "the key that found it full is remembered");
    }

    @Test
    void aKnownKeyDoesNotEmptyAFullSet() {
        OncePerKey once = new OncePerKey(2);
        once.first("pod-a");
        once.first("pod-b");

        assertFalse(once.first("pod-b"));
        assertFalse(once.first("pod-a"));
    }
}
