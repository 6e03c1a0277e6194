package io.stagewatch.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SingleFlightTest {

    /** Passes that end when the test completes them. */
    private final List<CompletableFuture<Void>> passes = new ArrayList<>();

    private final List<Throwable> failures = new ArrayList<>();
    private final SingleFlight flight =
            new SingleFlight(() -> Uni.createFrom().completionStage(this::startPass), failures::add);

    private CompletableFuture<Void> startPass() {
        CompletableFuture<Void> pass = new CompletableFuture<>();
        passes.add(pass);
        return pass;
    }

    private CompletableFuture<Void> run() {
        return flight.run().subscribeAsCompletionStage();
    }

    @Test
    void aCallWhileAPassRunsStartsNoneBesideIt() {
        run();
        CompletableFuture<Void> second = run();

        assertEquals(1, passes.size());
        assertTrue(second.isDone(), "a call that finds a pass running returns at once");
    }

    @Test
    void wakeUpsDuringAPassMakeExactlyOneMorePass() {
        CompletableFuture<Void> first = run();
        run();
        run();
        run();

        passes.get(0).complete(null);
        assertEquals(2, passes.size());
        assertFalse(first.isDone(), "the caller that started the passes waits for the extra one");

        passes.get(1).complete(null);
        assertEquals(2, passes.size());
        assertTrue(first.isDone());
    }

    @Test
    void aPassWithoutWakeUpsIsTheOnlyOne() {
        CompletableFuture<Void> first = run();
        passes.get(0).complete(null);

        assertEquals(1, passes.size());
        assertTrue(first.isDone());
        run();
        assertEquals(2, passes.size(), "a call after the pass ended runs a new one");
    }

    @Test
    void aFailedPassIsReportedAndDoesNotStopTheNext() {
        CompletableFuture<Void> first = run();
        IllegalStateException failure = new IllegalStateException("database down");
        passes.get(0).completeExceptionally(failure);

        assertTrue(first.isDone() && !first.isCompletedExceptionally(), "run() never fails");
        assertEquals(List.of(failure), failures);
        run();
        assertEquals(2, passes.size());
    }

    @Test
    void aPassThatThrowsBeforeItStartsReleasesTheFlight() {
        List<Throwable> thrown = new ArrayList<>();
        int[] calls = {0};
        SingleFlight throwing = new SingleFlight(
                () -> {
                    calls[0]++;
                    throw new IllegalStateException("no pool");
                },
                thrown::add);

        throwing.run().await().indefinitely();
        throwing.run().await().indefinitely();

        assertEquals(2, calls[0]);
        assertEquals(2, thrown.size());
    }
}
