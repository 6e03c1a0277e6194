package io.stagewatch.delivery;

import io.smallrye.mutiny.Uni;
import io.stagewatch.StagewatchConfig;
import io.stagewatch.notification.ClaimedNotification;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Posts the payload of a webhook channel's notification: to the address {@link WebhookTargets} checked (the URL's host
 * stays the Host header and the TLS server name), never following a redirect, with {@code Idempotency-Key} (the row's
 * deterministic id) and, when the webhook has a secret, {@code X-Stagewatch-Timestamp} and
 * {@code X-Stagewatch-Signature} over the payload's bytes.
 *
 * <p>
 * Outcomes: 2xx is delivered; 429 is retried after its {@code Retry-After}; 5xx and connection errors are retried with
 * the backoff; every other status (3xx included) is permanent, with the status and the start of the body as error.
 */
@ApplicationScoped
public class WebhookClient {

    /** Characters of a refusing response's body kept in {@code lastError}. */
    static final int ERROR_BODY_LENGTH = 200;
    /** Bytes of a response's body read at most; the rest is discarded as it arrives. */
    private static final int BODY_READ_LIMIT = 4096;

    private final HttpClient client;
    private final WebhookTargets targets;
    private final long timeoutMillis;

    public WebhookClient(Vertx vertx, WebhookTargets targets, StagewatchConfig config) {
        this.targets = targets;
        this.timeoutMillis = config.outbox().sendTimeout().toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setMaxPoolSize(config.outbox().concurrency())
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .setVerifyHost(true));
    }

    @PreDestroy
    void close() {
        client.closeAndForget();
    }

    /** Posts the payload to the notification's URL; completes on a 2xx, fails with a {@link DeliveryFailure} otherwise. */
    public Uni<Void> post(ClaimedNotification notification, String payload) {
        return targets.address(notification.url())
                .flatMap(address -> post(notification, URI.create(notification.url()), address, payload));
    }

    private Uni<Void> post(ClaimedNotification notification, URI url, InetAddress address, String payload) {
        boolean https = url.getScheme().equalsIgnoreCase("https");
        int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(url.getHost())
                .setPort(port)
                .setSsl(https)
                .setURI(path)
                .setFollowRedirects(false)
                .setConnectTimeout(timeoutMillis)
                .setIdleTimeout(timeoutMillis)
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "stagewatch")
                .putHeader("Idempotency-Key", idempotencyKey(notification.messageId()));
        if (notification.secret() != null) {
            long timestamp = Instant.now().getEpochSecond();
            request.putHeader("X-Stagewatch-Timestamp", Long.toString(timestamp))
                    .putHeader(
                            "X-Stagewatch-Signature", WebhookSignature.sign(notification.secret(), timestamp, payload));
        }
        return client.request(request)
                .flatMap(sending -> sending.send(Buffer.buffer(payload.getBytes(StandardCharsets.UTF_8))))
                .onFailure(failure -> !(failure instanceof DeliveryFailure))
                .transform(failure ->
                        DeliveryFailure.retry(failure.getClass().getSimpleName() + ": " + failure.getMessage()))
                .flatMap(response -> body(response).map(body -> outcome(response, body)))
                .replaceWithVoid();
    }

    /** The row's id without the angle brackets of a Message-ID. */
    static String idempotencyKey(String messageId) {
        return messageId.substring(1, messageId.length() - 1);
    }

    /** Up to {@link #BODY_READ_LIMIT} bytes of the body; the rest is read and dropped, freeing the connection. */
    private static Uni<String> body(HttpClientResponse response) {
        return response.toMulti()
                .collect()
                .in(io.vertx.core.buffer.Buffer::buffer, (kept, chunk) -> {
                    int room = BODY_READ_LIMIT - kept.length();
                    if (room > 0) {
                        kept.appendBuffer(chunk.getDelegate(), 0, Math.min(room, chunk.length()));
                    }
                })
                .map(kept -> kept.toString(StandardCharsets.UTF_8));
    }

    private static Void outcome(HttpClientResponse response, String body) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return null;
        }
        String error = "HTTP " + status
                + (body.isBlank()
                        ? ""
                        : ": " + (body.length() > ERROR_BODY_LENGTH ? body.substring(0, ERROR_BODY_LENGTH) : body));
        if (status == 429) {
            throw DeliveryFailure.retryAfter(error, retryAfter(response.getHeader("Retry-After")));
        }
        if (status >= 500) {
            throw DeliveryFailure.retry(error);
        }
        throw DeliveryFailure.permanent(error);
    }

    /** A {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(Instant.now(), at);
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }
}
