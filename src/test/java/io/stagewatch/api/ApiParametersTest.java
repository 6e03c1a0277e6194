package io.stagewatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagewatch.testing.MockCluster;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever a request carries in its query and path parameters, no answer is a 500: a control character is a 400
 * problem naming the parameter, a uid that cannot exist a 404. Every parameter of every resource, with values jqwik
 * generates: arbitrary bytes (invalid UTF-8 too), arbitrary Unicode, controls, and values beyond the request line's
 * limit.
 */
@QuarkusTest
@MockCluster
class ApiParametersTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int VALUES = 30;

    @TestHTTPResource("/")
    URI root;

    /** A request with one parameter in it, {@code {}} where its percent-encoded value goes. */
    record Target(String method, String template, String parameter) {

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    static Stream<Target> targets() {
        List<Target> targets = new ArrayList<>();
        for (String p :
                List.of("stage", "status", "pipeline", "namespace", "workflow", "platform", "limit", "cursor")) {
            targets.add(new Target("GET", "api/runs?" + p + "={}", p));
        }
        for (String path : List.of("api/runs/{}", "api/runs/{}/transitions", "api/runs/{}/notifications")) {
            targets.add(new Target("GET", path, "uid"));
        }
        for (String p : List.of("since", "by", "stage", "pipeline", "platform")) {
            targets.add(new Target("GET", "api/stats?" + p + "={}", p));
        }
        for (String p : List.of("status", "limit", "cursor")) {
            targets.add(new Target("GET", "api/notifications?" + p + "={}", p));
        }
        targets.add(new Target("GET", "api/notifications/counts?run={}", "run"));
        targets.add(new Target("GET", "api/notifications/counts?run=a&run={}", "run"));
        targets.add(new Target("POST", "api/notifications/{}/retry", "id"));
        targets.add(new Target("GET", "api/notification-rules/{}", "id"));
        targets.add(new Target("PUT", "api/notification-rules/{}", "id"));
        targets.add(new Target("DELETE", "api/notification-rules/{}", "id"));
        for (String p : List.of("after", "stage", "pipeline", "namespace", "status")) {
            targets.add(new Target("GET", "api/feed?" + p + "={}", p));
        }
        targets.add(new Target("GET", "runs/{}", "view"));
        return targets.stream();
    }

    @ParameterizedTest
    @MethodSource("targets")
    void aControlCharacterIsA400ThatNamesTheParameter(Target target) throws Exception {
        for (String control : List.of("%00", "x%0D%0Ay", "%1B%5B31m", "%C2%85", "%7F")) {
            Answer answer = send(target, control);
            assertEquals(400, answer.status(), target + " with " + control);
            assertTrue(answer.body().path("title").asText().contains("'" + target.parameter() + "'"), answer::toString);
        }
    }

    @Test
    void aUidThatCannotExistIsNotFound() throws Exception {
        for (String path : List.of("api/runs/{}", "api/runs/{}/transitions")) {
            Target target = new Target("GET", path, "uid");
            assertEquals(404, send(target, "u".repeat(2000)).status());
            assertEquals(404, send(target, "%F0%9F%98%80%FF%FE").status());
        }
    }

    @Test
    void theHttpLimitsAreThoseSetOnPurpose() throws Exception {
        HttpRequest body = HttpRequest.newBuilder(URI.create(root + "api/notification-rules"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + "x".repeat(1100 * 1024) + "\"}"))
                .header("Content-Type", "application/json")
                .build();
        assertEquals(
                413, HTTP.send(body, HttpResponse.BodyHandlers.discarding()).statusCode(), "a body beyond 1 MB");
        HttpRequest headers = HttpRequest.newBuilder(URI.create(root + "api/runs"))
                .header("X-Filler", "x".repeat(17 * 1024))
                .build();
        assertEquals(
                431, HTTP.send(headers, HttpResponse.BodyHandlers.discarding()).statusCode(), "headers beyond 16 KB");
    }

    @Test
    void noGeneratedValueAnswers500() throws Exception {
        List<byte[]> values = values().sampleStream().limit(VALUES).toList();
        for (Target target : targets().toList()) {
            for (byte[] value : values) {
                Answer answer = send(target, percentEncoded(value));
                assertTrue(
                        answer.status() < 500, () -> target + " with " + percentEncoded(value) + " answered " + answer);
            }
        }
    }

    /** Bytes as they may come: any bytes, any Unicode in UTF-8, hostile characters, beyond the request line's limit. */
    private static Arbitrary<byte[]> values() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
        Arbitrary<byte[]> unicode =
                Arbitraries.strings().all().ofMaxLength(64).map(text -> text.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> hostile = Arbitraries.strings()
                .withChars('\u0000', '\r', '\n', '\t', '\u001B', '\u0085', '%', '/', '?', '#', '&', '=', '.', ' ', 'a')
                .ofMaxLength(32)
                .map(text -> text.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> long_ = Arbitraries.strings()
                .alpha()
                .ofMinLength(1)
                .ofMaxLength(8)
                .map(unit -> unit.repeat(8192 / unit.length()).getBytes(StandardCharsets.UTF_8));
        return Arbitraries.frequencyOf(
                Tuple.of(4, bytes), Tuple.of(4, unicode), Tuple.of(4, hostile), Tuple.of(1, long_));
    }

    private static String percentEncoded(byte[] value) {
        StringBuilder encoded = new StringBuilder(value.length * 3);
        for (byte b : value) {
            encoded.append('%').append(String.format("%02X", b & 0xFF));
        }
        return encoded.toString();
    }

    record Answer(int status, JsonNode body) {}

    /**
     * The status, and the body when it is a problem; a stream (the feed) is closed as soon as its status is in. A
     * request that finds its pooled connection closed under it (the server closes the connection after refusing a
     * request line beyond its limit, and the client may have taken it for the next request already) is sent once more:
     * a server that dropped the request itself would drop it again.
     */
    private Answer send(Target target, String encodedValue) throws IOException, InterruptedException {
        try {
            return sendOnce(target, encodedValue);
        } catch (IOException closedUnderIt) {
            return sendOnce(target, encodedValue);
        }
    }

    private Answer sendOnce(Target target, String encodedValue) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(root + target.template().replace("{}", encodedValue)))
                .method(target.method(), HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .build();
        HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            boolean problem =
                    response.headers().firstValue("Content-Type").orElse("").startsWith(Problem.MEDIA_TYPE);
            return new Answer(response.statusCode(), problem ? JSON.readTree(body) : JSON.missingNode());
        }
    }
}
