package io.stagewatch.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every request the browser sends to this server, as the server saw it ({@code GET /api/runs?...}): counted here
 * rather than in the browser, so that static files, fetches and the EventSource are all seen, whatever the browser
 * caches or buffers. Requests without a Chrome user agent (the tests' own REST calls) are not recorded.
 */
@ApplicationScoped
public class BrowserRequests {

    private final Queue<String> seen = new ConcurrentLinkedQueue<>();

    void record(@Observes Filters filters) {
        filters.register(
                context -> {
                    String agent = context.request().getHeader("User-Agent");
                    if (agent != null && agent.contains("Chrome")) {
                        seen.add(context.request().method() + " "
                                + context.request().uri());
                    }
                    context.next();
                },
                Integer.MAX_VALUE);
    }

    public void clear() {
        seen.clear();
    }

    public List<String> all() {
        return List.copyOf(seen);
    }
}
