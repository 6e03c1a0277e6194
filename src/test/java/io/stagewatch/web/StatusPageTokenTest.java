package io.stagewatch.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stagewatch.testing.Browser;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.WithTokens;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The status page of a stagewatch with tokens, in a real browser: it asks for a token, refuses a wrong one, and with
 * a viewer's shows the runs and follows the feed (whose EventSource carries the token in its query), all under the
 * Content-Security-Policy, and without the insecure banner.
 */
@QuarkusTest
@MockCluster
@TestProfile(WithTokens.class)
class StatusPageTokenTest {

    private static final String VIEWER = WithTokens.VIEWER;

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Browser browser;
    private static ChromeDriver driver;

    @TestHTTPResource("/")
    String root;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(WAIT);
        driver = browser.driver();
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void thePageAsksForATokenRefusesAWrongOneAndShowsTheRunsLiveWithAViewersToken() throws IOException {
        driver.get(root);
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> driver.findElement(By.id("token-form")).isDisplayed());
        assertFalse(driver.findElement(By.id("list-view")).isDisplayed(), "nothing is shown without a token");

        enter(VIEWER + "-wrong");
        await().atMost(WAIT)
                .ignoreExceptions()
                .until(() -> driver.findElement(By.id("token-form")).isDisplayed()
                        && driver.findElement(By.cssSelector("#token-form p"))
                                .getText()
                                .contains("not valid"));

        enter(VIEWER);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertEquals("ready", driver.findElement(By.tagName("body")).getAttribute("data-state"));
            assertEquals("live", driver.findElement(By.id("feed-state")).getAttribute("data-state"));
        });
        assertTrue(driver.findElement(By.id("list-view")).isDisplayed());
        assertFalse(driver.findElement(By.id("token-form")).isDisplayed());
        assertFalse(driver.findElement(By.id("insecure-banner")).isDisplayed(), "tokens: not insecure");
        browser.screenshot("token/ready.png");
    }

    private static void enter(String token) {
        driver.findElement(By.id("token-input")).clear();
        driver.findElement(By.id("token-input")).sendKeys(token);
        driver.findElement(By.cssSelector("#token-form button[type=submit]")).click();
    }
}
