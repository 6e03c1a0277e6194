package io.stagewatch.concurrent;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a pass (a drain, a read) at most once at a time. A call while a pass runs starts none: the running pass goes
 * round once more when it ends, so that whatever prompted the call is seen; any number of such calls make one more
 * pass.
 */
public final class SingleFlight {

    private final Supplier<Uni<Void>> pass;
    private final Consumer<Throwable> onFailure;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();

    /** @param onFailure told of each pass that failed; the next call runs a pass again */
    public SingleFlight(Supplier<Uni<Void>> pass, Consumer<Throwable> onFailure) {
        this.pass = pass;
        this.onFailure = onFailure;
    }

    /** Runs passes until none was asked for meanwhile, or asks the running pass for one more. Never fails. */
    public Uni<Void> run() {
        return Uni.createFrom().deferred(() -> {
            // asking before trying to run: a pass that ends after a failed try sees the request
            wanted.set(true);
            return running.compareAndSet(false, true)
                    ? passes()
                    : Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> passes() {
        wanted.set(false);
        return Uni.createFrom()
                .deferred(() -> pass.get())
                .onFailure()
                .invoke(onFailure)
                .onFailure()
                .recoverWithNull()
                .eventually(() -> running.set(false))
                .flatMap(ignored -> wanted.get() && running.compareAndSet(false, true)
                        ? passes()
                        : Uni.createFrom().voidItem());
    }
}
