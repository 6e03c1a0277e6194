package io.stagewatch.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An HTTP server on 127.0.0.1 (a free port, or a given one) that receives webhooks, for the tests (a JUnit extension around the test
 * class), the demo and the outbox benchmark: it records every request and answers as each path's script says, then
 * 200. Answers: any status with a body, 429 with {@code Retry-After}, a redirect, or no answer at all (the request hangs
 * until the receiver stops).
 */
public final class WebhookReceiver implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    /** One request as it arrived; header names in lower case. */
    public record Request(Instant at, String method, String path, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** What the receiver answers to one request. */
    public record Answer(int status, Map<String, String> headers, String body, boolean hangs) {

        public static Answer ok() {
            return status(200, "ok");
        }

        public static Answer status(int status, String body) {
            return new Answer(status, Map.of(), body, false);
        }

        public static Answer tooManyRequests(int retryAfterSeconds) {
            return new Answer(429, Map.of("Retry-After", Integer.toString(retryAfterSeconds)), "slow down", false);
        }

        public static Answer redirect(String location) {
            return new Answer(302, Map.of("Location", location), "", false);
        }

        /** No answer: the connection stays open until the receiver stops. */
        public static Answer hang() {
            return new Answer(0, Map.of(), "", true);
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Answer>> scripts = new ConcurrentHashMap<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Consumer<Request> listener = request -> {};
    private final int port;
    private HttpServer server;
    private ExecutorService executor;

    private WebhookReceiver(int port) {
        this.port = port;
    }

    /** A receiver on a free port, not started yet. */
    public static WebhookReceiver create() {
        return new WebhookReceiver(0);
    }

    /** A receiver on {@code 127.0.0.1:port}, not started yet. */
    public static WebhookReceiver on(int port) {
        return new WebhookReceiver(port);
    }

    /** Called for every request, before it is answered. */
    public WebhookReceiver onRequest(Consumer<Request> listener) {
        this.listener = listener;
        return this;
    }

    public WebhookReceiver start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the webhook receiver", e);
        }
        executor = Executors.newCachedThreadPool();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    /** The next requests to {@code path} get these answers, in order; later ones get 200. */
    public WebhookReceiver script(String path, Answer... answers) {
        scripts.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(answers));
        return this;
    }

    public List<Request> requests(String path) {
        return requests.stream().filter(request -> request.path().equals(path)).toList();
    }

    public List<Request> all() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                .collect(Collectors.toMap(
                        e -> e.getKey().toLowerCase(Locale.ROOT),
                        e -> String.join(",", e.getValue()),
                        (a, b) -> a + "," + b));
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath();
        Request request = new Request(Instant.now(), exchange.getRequestMethod(), path, Map.copyOf(headers), body);
        Answer answer = next(path);
        listener.accept(request);
        requests.add(request);
        if (answer.hangs()) {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Answer next(String path) {
        Deque<Answer> script = scripts.get(path);
        synchronized (this) {
            Answer scripted = script == null ? null : script.pollFirst();
            return scripted != null ? scripted : Answer.ok();
        }
    }

    @Override
    public void close() {
        stopped.countDown();
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }
}
