package io.stagewatch.kube;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The watchdog restarts a stopped or stalled informer, never one that is still reading its LIST. */
class InformerWatchdogTest {

    @Test
    void anInformerStillListingIsLeftToFinishHoweverLongItTakes() {
        InformerWatchdog watchdog = new InformerWatchdog();
        for (long page = 1; page <= 20; page++) {
            assertFalse(watchdog.restart(false, false, page * 500), "check " + page);
        }
        assertFalse(watchdog.restart(false, true, 10_000));
    }

    @Test
    void anInformerNotWatchingWhoseCacheTookNoWriteIsRestartedOnTheSecondCheck() {
        InformerWatchdog watchdog = new InformerWatchdog();
        assertFalse(watchdog.restart(false, true, 10_000));
        assertFalse(watchdog.restart(false, false, 10_000), "a reconnect in progress gets one interval");
        assertTrue(watchdog.restart(false, false, 10_000));
        assertFalse(watchdog.restart(false, false, 10_000), "the restarted informer gets one interval too");
        assertTrue(watchdog.restart(false, false, 10_000));
    }

    @Test
    void aStoppedInformerIsRestartedAtOnce() {
        InformerWatchdog watchdog = new InformerWatchdog();
        assertTrue(watchdog.restart(true, false, 0));
        assertTrue(watchdog.restart(true, false, 500));
    }

    @Test
    void aWatchingInformerIsNeverRestarted() {
        InformerWatchdog watchdog = new InformerWatchdog();
        for (int check = 0; check < 5; check++) {
            assertFalse(watchdog.restart(false, true, 7));
        }
    }
}
