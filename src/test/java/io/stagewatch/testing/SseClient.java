package io.stagewatch.testing;

import io.stagewatch.run.FeedPosition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A server-sent-event client that collects what it receives on a thread of its own until closed. */
public final class SseClient implements AutoCloseable {

    /** One event as received; the feed's ids are positions (its {@code risk} events have none). */
    public record Event(String id, String name, String data) {

        public FeedPosition position() {
            return FeedPosition.decode(id);
        }
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final Thread reader;
    private volatile InputStream body;
    private volatile int status;
    private volatile boolean ended;

    /** Connects to {@code url}, resuming after {@code lastEventId} when not null. */
    public SseClient(String url, String lastEventId) {
        this(url, lastEventId, null);
    }

    /** Connects to {@code url} with the header {@code Authorization: <authorization>} when not null. */
    public SseClient(String url, String lastEventId, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        reader = new Thread(() -> read(request.build()), "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    private void read(HttpRequest request) {
        try {
            HttpResponse<InputStream> response =
                    HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            body = response.body();
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
            String id = null;
            String name = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (id != null || name != null) {
                        events.add(new Event(id, name, data.toString()));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith(":")) {
                    comments.add(line.substring(1).trim());
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(data.length() == 0 ? "" : "\n")
                            .append(line.substring(5).trim());
                }
            }
        } catch (IOException | InterruptedException e) {
            // closed
        } finally {
            ended = true;
        }
    }

    public List<Event> events() {
        return events;
    }

    public List<String> comments() {
        return comments;
    }

    public int status() {
        return status;
    }

    /** True once the server closed the stream (or the client did). */
    public boolean ended() {
        return ended;
    }

    @Override
    public void close() {
        try {
            if (body != null) {
                body.close();
            }
        } catch (IOException e) {
            // already closed
        }
        reader.interrupt();
    }
}
