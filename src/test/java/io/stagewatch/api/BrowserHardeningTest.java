package io.stagewatch.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.stagewatch.testing.MockCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The page and the API tell browsers to load nothing from elsewhere, never to frame or sniff them and to send no
 * Referer; and every change must be JSON, so that a form on another site cannot make one, even in insecure mode (the
 * test profile's default).
 */
@QuarkusTest
@MockCluster
class BrowserHardeningTest {

    private static final String RULE = """
            {"name":"hardening","pipeline":"*","stages":["CI"],"events":["FAILED"],"recipients":["ops@example.org"]}""";

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/",
                "/failures",
                "/runs/some-uid",
                "/js/main.js",
                "/stagewatch.css",
                "/api/runs",
                "/api/runs/no-such-run",
                "/no-such-page"
            })
    void everyResponseCarriesTheHardeningHeaders(String path) {
        hardened(given().get(path).then());
    }

    @Test
    void problemsCarryThemToo() {
        hardened(given().header("Authorization", "Bearer 0123456789abcdef0123456789abcdef")
                .get("/api/runs")
                .then()
                .statusCode(401));
    }

    @ParameterizedTest
    @CsvSource({
        "POST,/api/notification-rules,application/x-www-form-urlencoded",
        "POST,/api/notification-rules,text/plain",
        "POST,/api/notification-rules,multipart/form-data; boundary=x",
        "PUT,/api/notification-rules/1,text/plain",
        "DELETE,/api/notification-rules/1,",
        "POST,/api/notifications/1/retry,",
        "POST,/api/notifications/1/retry,text/plain"
    })
    void aChangeThatIsNotJsonIsRefusedBeforeItDoesAnything(String method, String path, String type) {
        var request = given();
        if (type != null) {
            // the JSON text sent as it is, whatever the declared type (as a form on another site would send its body)
            request.config(RestAssured.config()
                            .encoderConfig(EncoderConfig.encoderConfig()
                                    .encodeContentTypeAs(type.replaceAll(";.*", ""), ContentType.TEXT)))
                    .contentType(type)
                    .body(RULE);
        }
        hardened(request.request(method, path)
                .then()
                .statusCode(415)
                .contentType(Problem.MEDIA_TYPE)
                .body("detail", containsString("Content-Type: application/json")));
        given().get("/api/notification-rules").then().statusCode(200).body("name", not(hasItem("hardening")));
    }

    @Test
    void aJsonChangeWithAnEmptyBodyIsAccepted() {
        given().contentType("application/json")
                .post("/api/notifications/{id}/retry", Long.MAX_VALUE)
                .then()
                .statusCode(404);
        given().contentType("application/json; charset=UTF-8")
                .delete("/api/notification-rules/{id}", Long.MAX_VALUE)
                .then()
                .statusCode(404);
    }

    private static ValidatableResponse hardened(ValidatableResponse response) {
        return response.header(
                        "Content-Security-Policy",
                        equalTo("default-src 'self'; img-src 'self' data:; "
                                + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .header("Referrer-Policy", equalTo("no-referrer"))
                .header("X-Frame-Options", equalTo("DENY"));
    }
}
