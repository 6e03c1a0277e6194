package io.stagewatch.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small Kubernetes API server for pods only, for the scale benchmark: the fabric8 mock server scans every object
 * on every request and ignores {@code limit} and {@code continue}, which makes 50,000 pods a quadratic load and a
 * LIST one huge page. This one keeps each pod as its serialized JSON, sorted by namespace/name, and serves:
 * <ul>
 * <li>LIST ({@code GET /api/v1/pods}, {@code /api/v1/namespaces/<ns>/pods}) with {@code limit} and {@code continue}
 * (the token is the last key served: pages follow the current state, not a snapshot as a real server's do) and a
 * label selector of existence terms ({@code key}, comma-separated; anything else is a 400);</li>
 * <li>watch ({@code watch=true}): plain HTTP streaming from the given {@code resourceVersion}, replaying every event
 * logged after it, with a BOOKMARK at once and after every 10 s of silence (fabric8 counts an HTTP watch as watching
 * only once bytes arrived); a websocket upgrade is answered with a plain 200, after which fabric8 watches over HTTP.</li>
 * </ul>
 * It counts requests and response bytes by kind. {@link #cutWatches()} closes every watch and refuses new ones until
 * {@link #restoreWatches()}: events published meanwhile are logged and replayed to the next watch, as a real
 * server's watch cache would, but nobody receives them while the watch is down.
 */
final class FakeApiServer implements AutoCloseable {

    /** Request kinds counted. */
    enum Kind {
        LIST,
        WATCH,
        REFUSED,
        OTHER
    }

    private record Stored(String uid, Set<String> labelKeys, byte[] json) {}

    private record Event(long resourceVersion, byte[] line) {}

    private static final byte[] END = new byte[0];
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fake-api-server");
        thread.setDaemon(true);
        return thread;
    });
    private final NavigableMap<String, Stored> pods = new TreeMap<>();
    private final List<Event> events = new ArrayList<>();
    private final List<BlockingQueue<byte[]>> watches = new CopyOnWriteArrayList<>();
    private final Map<Kind, AtomicLong> requests = new HashMap<>();
    private final Map<Kind, AtomicLong> bytes = new HashMap<>();
    private long resourceVersion;
    private volatile boolean watchesRefused;
    private volatile Runnable onFirstPage = () -> {};

    FakeApiServer() throws IOException {
        for (Kind kind : Kind.values()) {
            requests.put(kind, new AtomicLong());
            bytes.put(kind, new AtomicLong());
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Adds (or replaces) a pod with the next resourceVersion; no watch event (the pods existed before the start). */
    synchronized void load(ObjectNode pod) {
        store(pod);
    }

    /**
     * Deletes the pod with this UID: a DELETED event with the next resourceVersion is logged and sent to the open
     * watches (none while they are cut).
     */
    synchronized void delete(String namespace, String name) throws IOException {
        Stored gone = pods.remove(namespace + "/" + name);
        if (gone == null) {
            throw new IllegalArgumentException("no pod " + namespace + "/" + name);
        }
        ObjectNode pod = (ObjectNode) JSON.readTree(gone.json());
        ((ObjectNode) pod.get("metadata")).put("resourceVersion", Long.toString(++resourceVersion));
        publish("DELETED", pod);
    }

    /** Closes every open watch and answers new ones with 503 until {@link #restoreWatches()}. */
    void cutWatches() {
        watchesRefused = true;
        watches.forEach(queue -> queue.add(END));
    }

    void restoreWatches() {
        watchesRefused = false;
    }

    /** Called (on the server's thread, before the page is served) for the first page of every LIST. */
    void onFirstPage(Runnable hook) {
        this.onFirstPage = hook;
    }

    long requests(Kind kind) {
        return requests.get(kind).get();
    }

    long bytes(Kind kind) {
        return bytes.get(kind).get();
    }

    private void store(ObjectNode pod) {
        ObjectNode meta = (ObjectNode) pod.get("metadata");
        meta.put("resourceVersion", Long.toString(++resourceVersion));
        Set<String> labelKeys = new HashSet<>();
        meta.get("labels").fieldNames().forEachRemaining(labelKeys::add);
        try {
            pods.put(
                    meta.get("namespace").asText() + "/" + meta.get("name").asText(),
                    new Stored(meta.get("uid").asText(), labelKeys, JSON.writeValueAsBytes(pod)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void publish(String type, ObjectNode pod) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.write(("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.UTF_8));
        line.write(JSON.writeValueAsBytes(pod));
        line.write("}\n".getBytes(StandardCharsets.UTF_8));
        Event event = new Event(resourceVersion, line.toByteArray());
        events.add(event);
        watches.forEach(queue -> queue.add(event.line()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
            String path = exchange.getRequestURI().getPath();
            String namespace = namespace(path);
            if (!"GET".equals(exchange.getRequestMethod()) || (namespace == null && !"/api/v1/pods".equals(path))) {
                respond(
                        exchange,
                        Kind.OTHER,
                        404,
                        "{\"kind\":\"Status\",\"code\":404}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            boolean watch = "true".equals(query.get("watch")) || "1".equals(query.get("watch"));
            String upgrade = exchange.getRequestHeaders().getFirst("Upgrade");
            if (watch && upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
                // no upgrade: fabric8 reads a 200 as "no websocket here" and watches over HTTP (a 503 it would retry)
                respond(exchange, Kind.REFUSED, 200, new byte[0]);
                return;
            }
            if (watch && watchesRefused) {
                respond(
                        exchange,
                        Kind.REFUSED,
                        503,
                        "{\"kind\":\"Status\",\"code\":503}".getBytes(StandardCharsets.UTF_8));
                return;
            }
            List<String> selector = selector(query.get("labelSelector"));
            if (selector == null) {
                respond(
                        exchange,
                        Kind.OTHER,
                        400,
                        "{\"kind\":\"Status\",\"code\":400,\"message\":\"the fake takes existence selectors only\"}"
                                .getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (watch) {
                watch(exchange, Long.parseLong(query.getOrDefault("resourceVersion", "0")));
            } else {
                list(exchange, namespace, selector, query);
            }
        }
    }

    private void list(HttpExchange exchange, String namespace, List<String> selector, Map<String, String> query)
            throws IOException {
        String token = query.get("continue");
        if (token == null || token.isEmpty()) {
            onFirstPage.run();
        }
        long limit = query.containsKey("limit") ? Long.parseLong(query.get("limit")) : Long.MAX_VALUE;
        ByteArrayOutputStream page = new ByteArrayOutputStream();
        String last = null;
        boolean more = false;
        long listVersion;
        synchronized (this) {
            listVersion = resourceVersion;
            NavigableMap<String, Stored> from = token == null || token.isEmpty()
                    ? pods
                    : pods.tailMap(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8), false);
            long served = 0;
            page.write('[');
            for (Map.Entry<String, Stored> entry : from.entrySet()) {
                if (!matches(entry.getKey(), entry.getValue(), namespace, selector)) {
                    continue;
                }
                if (served == limit) {
                    more = true;
                    break;
                }
                if (served++ > 0) {
                    page.write(',');
                }
                page.write(entry.getValue().json());
                last = entry.getKey();
            }
            page.write(']');
        }
        String meta = "{\"resourceVersion\":\"" + listVersion + "\""
                + (more
                        ? ",\"continue\":\""
                                + Base64.getUrlEncoder()
                                        .withoutPadding()
                                        .encodeToString(last.getBytes(StandardCharsets.UTF_8))
                                + "\""
                        : "")
                + "}";
        ByteArrayOutputStream body = new ByteArrayOutputStream(page.size() + 200);
        body.write(("{\"apiVersion\":\"v1\",\"kind\":\"PodList\",\"metadata\":" + meta + ",\"items\":")
                .getBytes(StandardCharsets.UTF_8));
        page.writeTo(body);
        body.write('}');
        respond(exchange, Kind.LIST, 200, body.toByteArray());
    }

    private void watch(HttpExchange exchange, long from) throws IOException {
        requests.get(Kind.WATCH).incrementAndGet();
        BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        synchronized (this) {
            for (Event event : events) {
                if (event.resourceVersion() > from) {
                    queue.add(event.line());
                }
            }
            watches.add(queue);
        }
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        try {
            // fabric8 counts an HTTP watch as watching only once bytes arrived: a bookmark at once, then every 10 s
            // of silence (kube-apiserver sends them about once a minute)
            byte[] line = bookmark();
            while (line != END) {
                // every pod here has the label the watch selects by
                out.write(line);
                out.flush();
                bytes.get(Kind.WATCH).addAndGet(line.length);
                line = queue.poll(10, TimeUnit.SECONDS);
                if (line == null) {
                    line = bookmark();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away
        } finally {
            watches.remove(queue);
        }
    }

    private synchronized byte[] bookmark() {
        return ("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":"
                        + "{\"resourceVersion\":\"" + resourceVersion + "\"}}}\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static boolean matches(String key, Stored pod, String namespace, List<String> selector) {
        return (namespace == null || key.startsWith(namespace + "/"))
                && pod.labelKeys().containsAll(selector);
    }

    private void respond(HttpExchange exchange, Kind kind, int status, byte[] body) throws IOException {
        requests.get(kind).incrementAndGet();
        bytes.get(kind).addAndGet(body.length);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    /** The namespace of {@code /api/v1/namespaces/<ns>/pods}; null for any other path. */
    private static String namespace(String path) {
        String[] parts = path.split("/");
        return parts.length == 6 && "namespaces".equals(parts[3]) && "pods".equals(parts[5]) ? parts[4] : null;
    }

    /** The keys of an existence selector; null for a selector the fake does not understand. */
    private static List<String> selector(String selector) {
        if (selector == null || selector.isEmpty()) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        for (String term : selector.split(",")) {
            if (term.contains("=") || term.contains("!") || term.contains("(") || term.isBlank()) {
                return null;
            }
            keys.add(term.trim());
        }
        return keys;
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                query.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    @Override
    public void close() {
        cutWatches();
        server.stop(0);
        threads.shutdownNow();
    }
}
