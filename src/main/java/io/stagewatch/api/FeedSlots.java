package io.stagewatch.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The feed's client slots: at most {@code stagewatch.feed.max-clients} on the instance, and at most
 * {@code stagewatch.feed.max-clients-per-token} for one credential (a token, an OIDC subject), so that one viewer's
 * token cannot take every slot and leave every other user's live page with a 503. Anonymous clients (an open
 * deployment) have no credential to count by: the instance's cap alone holds them.
 */
final class FeedSlots {

    private final int max;
    private final int maxPerCredential;
    private final AtomicInteger clients = new AtomicInteger();
    private final Map<String, Integer> held = new ConcurrentHashMap<>();

    FeedSlots(int max, int maxPerCredential) {
        this.max = max;
        this.maxPerCredential = maxPerCredential;
    }

    /**
     * Takes a slot for a client of the credential (null when anonymous).
     *
     * @return null when taken, else why not, for the 503's detail
     */
    String take(String credential) {
        if (clients.incrementAndGet() > max) {
            clients.decrementAndGet();
            return "This instance serves " + max + " feed clients already; try again shortly.";
        }
        if (credential == null) {
            return null;
        }
        boolean[] full = {false};
        held.compute(credential, (key, count) -> {
            int now = count == null ? 0 : count;
            full[0] = now >= maxPerCredential;
            return full[0] ? count : now + 1;
        });
        if (full[0]) {
            clients.decrementAndGet();
            return "This credential holds " + maxPerCredential + " feeds already; close one, or try again shortly.";
        }
        return null;
    }

    /** Gives back the slot a client of the credential took. */
    void release(String credential) {
        clients.decrementAndGet();
        if (credential != null) {
            held.computeIfPresent(credential, (key, count) -> count == 1 ? null : count - 1);
        }
    }

    int clients() {
        return clients.get();
    }
}
