package io.stagewatch.web;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stagewatch.pipeline.Observation;
import io.stagewatch.pipeline.ObservationBus;
import io.stagewatch.run.NodeLoss;
import io.stagewatch.run.Platform;
import io.stagewatch.run.RunStatus;
import io.stagewatch.run.Source;
import io.stagewatch.run.Verdict;
import io.stagewatch.store.ClusterBindingRepository;
import io.stagewatch.store.RunRepository;
import io.stagewatch.testing.Browser;
import io.stagewatch.testing.Cluster;
import io.stagewatch.testing.MailSink;
import io.stagewatch.testing.MockCluster;
import io.stagewatch.testing.Pods;
import io.stagewatch.testing.Runs;
import io.stagewatch.testing.TcpProxy;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;

/**
 * The status page in a real browser (Debian's chromium, headless, through its chromedriver): runs appear and change
 * live from the feed, a node shutdown shows as FAILED / NODE_SHUTDOWN, the detail view lists the transitions, a lost
 * feed is announced and resumed without losing a transition, filters narrow the list, pod-supplied text stays text,
 * the notification counts of many runs come without a request per run, each run shows its platform, the Failures
 * view charts the days, and a stagewatch in insecure mode (the test profile's default) says so in a banner.
 */
@QuarkusTest
@MockCluster
class StatusPageTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int MANY_RUNS = 200;
    /** The document, its stylesheet and modules, the list and the feed: a dozen or so, with room to spare. */
    private static final int MAX_PAGE_REQUESTS = 25;

    @RegisterExtension
    static final MailSink SMTP = MailSink.on(MailSink.TEST_PORT);

    private static Browser browser;
    private static ChromeDriver driver;

    @TestHTTPResource("/")
    String root;

    @Inject
    KubernetesClient client;

    @Inject
    BrowserRequests requests;

    @Inject
    ObservationBus bus;

    @Inject
    RunRepository runs;

    @Inject
    ClusterBindingRepository bindings;

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

    /** Keeps what the browser showed at the end of each test, to tell why one failed. */
    @AfterEach
    void keepTheLastPage(TestInfo test) throws IOException {
        browser.screenshot("tests/" + test.getTestMethod().orElseThrow().getName() + ".png");
    }

    @Test
    void aRunKilledByANodeShutdownTurnsFailedLiveAndItsDetailListsItsTransitions() throws IOException {
        Cluster cluster = new Cluster(client);
        String recipient = Pods.name("oncall") + "@example.org";
        // other runs, so that the page shows several pipelines
        List<Pod> others = List.of(
                cluster.create(
                        pod("checkout-web", "ci", "unit-tests").succeeded().build()),
                cluster.create(
                        pod("checkout-web", "pre-cd", "db-migrate").failed(2).build()),
                cluster.create(pod("ledger-service", "ci", "integration")
                        .ended("Failed", 137, "OOMKilled")
                        .build()),
                cluster.create(pod("ledger-service", "pre-cd", "canary-check").build()));
        others.forEach(other -> await().atMost(WAIT)
                .untilAsserted(
                        () -> given().get("/api/runs/" + other.getMetadata().getUid())
                                .then()
                                .statusCode(200)));

        driver.get(root);
        awaitPageReady();
        markPage();

        Pod pod = cluster.create(pod("payments-api", "post-cd", "deploy-prod")
                .running()
                .notify(recipient)
                .build());
        String uid = pod.getMetadata().getUid();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertEquals("RUNNING", row(uid).getAttribute("data-status"));
            assertTrue(
                    cell(uid, "status").getText().contains("Running"),
                    cell(uid, "status").getText());
        });

        cluster.update(pod, StatusPageTest::nodeShutdown);
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertEquals("FAILED", row(uid).getAttribute("data-status"));
            String text = row(uid).getText();
            assertTrue(
                    text.contains("Failed")
                            && text.contains("Infrastructure")
                            && text.contains("Node shutdown")
                            && text.contains("NODE_SHUTDOWN"),
                    text);
            assertTrue(
                    cell(uid, "notify").getText().contains("2 sent"),
                    cell(uid, "notify").getText());
        });
        assertTrue(samePage(), "the run changed without a reload: the live feed carried it");
        assertFalse(driver.findElement(By.id("feed-banner")).isDisplayed());
        browser.screenshot("status-page.png");

        await().atMost(WAIT).ignoreExceptions().until(() -> {
            row(uid).findElement(By.cssSelector("a.run-link")).click();
            return true;
        });
        await().atMost(WAIT).until(() -> driver.getCurrentUrl().endsWith("/runs/" + uid));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            List<WebElement> transitions = driver.findElements(By.cssSelector("#transitions tbody tr"));
            assertEquals(
                    List.of("RUNNING", "FAILED"),
                    transitions.stream().map(t -> t.getAttribute("data-to")).toList());
            assertTrue(
                    transitions.get(1).getText().contains("NODE_SHUTDOWN"),
                    transitions.get(1).getText());
            assertTrue(
                    transitions.get(1).getText().contains(Pods.SHUTDOWN_MESSAGE),
                    transitions.get(1).getText());
            List<WebElement> notifications = driver.findElements(By.cssSelector("#notifications tbody tr"));
            assertEquals(
                    List.of("SENT", "SENT"),
                    notifications.stream()
                            .map(n -> n.getAttribute("data-status"))
                            .toList());
            assertTrue(driver.findElement(By.id("notifications")).getText().contains(recipient));
        });
        assertEquals("deploy-prod", driver.findElement(By.id("detail-title")).getText());
        assertTrue(driver.findElement(By.id("detail-facts")).getText().contains(Pods.SHUTDOWN_MESSAGE));
        browser.screenshot("detail.png");

        driver.findElement(By.id("back-link")).click();
        awaitPageReady();
        await().atMost(WAIT).ignoreExceptions().until(() -> row(uid).isDisplayed());
    }

    @Test
    void aRunOnAFailingNodeShowsItsRiskLiveAndLosesItWhenTheNodeRecovers() {
        Cluster cluster = new Cluster(client);
        String node = Pods.name("node");
        cluster.node(node, "True", Instant.now(), null);
        Pod pod = cluster.create(pod("payments-api", "ci", "build-on-a-failing-node")
                .running()
                .node(node)
                .tolerating(300L)
                .build());
        String uid = pod.getMetadata().getUid();

        driver.get(root);
        awaitPageReady();
        markPage();
        await().atMost(WAIT).ignoreExceptions().until(() -> "RUNNING".equals(row(uid).getAttribute("data-status")));

        cluster.node(node, "Unknown", Instant.now(), NodeLoss.UNREACHABLE);
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(() -> assertTrue(
                        row(uid).getText().contains("At risk: node " + node + " NotReady since"), row(uid).getText()));
        cluster.node(node, "True", Instant.now(), null);
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(() -> assertFalse(row(uid).getText().contains("At risk"), row(uid).getText()));
        assertEquals("RUNNING", row(uid).getAttribute("data-status"));
        assertTrue(samePage(), "the risk came and went without a reload: the live feed carried it");
        cluster.forceDelete(pod);
        client.nodes().withName(node).delete();
    }

    @Test
    void aLostFeedIsShownAndTheTransitionsMissedMeanwhileArriveAfterTheReconnect() throws IOException {
        Cluster cluster = new Cluster(client);
        int port = URI.create(root).getPort();
        try (TcpProxy proxy = new TcpProxy(port)) {
            driver.get("http://127.0.0.1:" + proxy.port() + "/");
            awaitPageReady();
            markPage();
            Pod pod = cluster.create(
                    pod("search-indexer", "ci", "build").running().build());
            String uid = pod.getMetadata().getUid();
            await().atMost(WAIT)
                    .ignoreExceptions()
                    .untilAsserted(() -> assertEquals("RUNNING", row(uid).getAttribute("data-status")));

            proxy.cut();
            await().atMost(WAIT).untilAsserted(() -> {
                WebElement banner = driver.findElement(By.id("feed-banner"));
                assertTrue(banner.isDisplayed(), "the page says the feed is lost");
                assertEquals("Live updates disconnected — reconnecting…", banner.getText());
            });
            browser.screenshot("disconnected.png");
            cluster.update(pod, p -> p.failed(2));
            Pod started = cluster.create(
                    pod("search-indexer", "post-cd", "publish").running().build());
            String startedUid = started.getMetadata().getUid();
            await().atMost(WAIT).untilAsserted(() -> {
                given().get("/api/runs/" + uid).then().statusCode(200).body("status", equalTo("FAILED"));
                given().get("/api/runs/" + startedUid).then().statusCode(200).body("status", equalTo("RUNNING"));
            });
            assertEquals("RUNNING", row(uid).getAttribute("data-status"), "nothing reached the page while cut off");

            proxy.restore();
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                assertFalse(driver.findElement(By.id("feed-banner")).isDisplayed());
                assertEquals("FAILED", row(uid).getAttribute("data-status"));
                assertTrue(row(uid).getText().contains("EXIT_CODE"), row(uid).getText());
                assertEquals("RUNNING", row(startedUid).getAttribute("data-status"));
            });
            assertTrue(samePage(), "no reload");
            assertEquals(
                    1L,
                    js("return performance.getEntriesByType('resource')"
                            + ".filter(e => e.name.includes('/api/runs?')).length"),
                    "the list was loaded once: the feed replayed the rest");
        }
    }

    @Test
    void podSuppliedTextIsShownLiterallyAndFiltersNarrowTheList() {
        Cluster cluster = new Cluster(client);
        String pipeline = Pods.name("hostile");
        String message =
                "<script>window.pwned = 'script'</script><img src=x onerror=\"window.pwned = 'img'\"> & <b>bold</b>";
        Pod failed = cluster.create(pod(pipeline, "ci", "evicted-build")
                .failed(137)
                .reason("Evicted", message)
                .build());
        Pod running =
                cluster.create(pod(pipeline, "post-cd", "rollout").running().build());
        Pod elsewhere =
                cluster.create(pod(Pods.name("other"), "ci", "lint").running().build());
        String failedUid = failed.getMetadata().getUid();
        String runningUid = running.getMetadata().getUid();
        await().atMost(WAIT).untilAsserted(() -> {
            given().get("/api/runs/" + failedUid).then().statusCode(200).body("message", equalTo(message));
            given().get("/api/runs/" + runningUid).then().statusCode(200).body("status", equalTo("RUNNING"));
            given().get("/api/runs/" + elsewhere.getMetadata().getUid()).then().statusCode(200);
        });

        driver.get(root + "?pipeline=" + pipeline);
        awaitPageReady();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertEquals(
                    message,
                    row(failedUid).findElement(By.cssSelector(".message")).getText());
            assertEquals(
                    2, driver.findElements(By.cssSelector("#groups tbody tr")).size(), "only the chosen pipeline");
        });
        assertNull(js("return window.pwned === undefined ? null : window.pwned"), "no pod-supplied markup ran");
        assertTrue(driver.findElements(By.cssSelector("#groups img, #groups script, #groups b"))
                .isEmpty());

        new Select(driver.findElement(By.id("filter-status"))).selectByValue("RUNNING");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertEquals(List.of(runningUid), shownUids()));
        assertTrue(driver.getCurrentUrl().contains("status=RUNNING"), "the filters are in the address");
        new Select(driver.findElement(By.id("filter-status"))).selectByValue("");
        new Select(driver.findElement(By.id("filter-stage"))).selectByValue("CI");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertEquals(List.of(failedUid), shownUids()));
        driver.findElement(By.id("filter-clear")).click();
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(
                        () -> assertTrue(shownUids().size() >= 3, shownUids().toString()));

        // by keyboard: the run's name is a link
        await().atMost(WAIT).ignoreExceptions().until(() -> {
            row(failedUid).findElement(By.cssSelector("a.run-link")).sendKeys(Keys.ENTER);
            return true;
        });
        await().atMost(WAIT).until(() -> driver.getCurrentUrl().endsWith("/runs/" + failedUid));
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertTrue(driver.findElement(By.id("detail-facts")).getText().contains(message));
            assertTrue(driver.findElement(By.id("transitions")).getText().contains(message));
        });
        assertNull(js("return window.pwned === undefined ? null : window.pwned"), "no pod-supplied markup ran");
        assertTrue(driver.findElements(By.cssSelector("main img, main script, main b"))
                .isEmpty());
    }

    /**
     * The page asks the server a fixed number of times however many runs it shows: the counts come with the list, not
     * run by run. The page of issue 11 asked for the notifications of every row that came into view (and again every
     * five seconds while any was pending): scrolling through 200 rows made 200 requests more.
     */
    @Test
    void twoHundredRunsShowTheirNotificationCountsInABoundedNumberOfRequests() {
        String pipeline = Pods.name("many");
        // straight to the pipeline: 200 pods in the mock API server take a minute, and only the runs matter here
        for (int i = 0; i < MANY_RUNS; i++) {
            bus.publish(new Observation.PodSeen(
                    Source.WATCH, pod(pipeline, "ci", "job-" + i).succeeded().build(), false));
        }
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> given().queryParam("pipeline", pipeline)
                        .queryParam("limit", MANY_RUNS)
                        .get("/api/runs")
                        .then()
                        .statusCode(200)
                        .body("items", hasSize(MANY_RUNS))
                        .body("items.notifications.pending", everyItem(equalTo(0))));

        requests.clear();
        driver.get(root + "?pipeline=" + pipeline);
        awaitPageReady();
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(() -> assertEquals(MANY_RUNS, shownUids().size()));
        // every row comes into view, as when a person reads the whole list, and shows its counts: one script per poll
        // brings each row into view in turn and names those that do not (a WebDriver call per row cost a minute)
        await().atMost(WAIT).pollDelay(Duration.ZERO).untilAsserted(() -> assertEquals(List.of(), js("""
                                return Array.from(document.querySelectorAll('#groups tbody tr'))
                                    .filter(row => {
                                        row.scrollIntoView({block: 'center'});
                                        const notify = row.querySelector('td.notify');
                                        return notify === null || notify.innerText.trim() !== 'None';
                                    })
                                    .map(row => row.dataset.uid);""")));

        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<String> all = requests.all();
            assertTrue(all.size() <= MAX_PAGE_REQUESTS, all.size() + " requests: " + all);
        });
        List<String> api = requests.all().stream()
                .filter(request -> request.contains(" /api/"))
                .toList();
        assertEquals(
                1,
                api.stream()
                        .filter(request -> request.startsWith("GET /api/runs?"))
                        .count(),
                api.toString());
        assertTrue(api.stream().noneMatch(request -> request.contains("/notifications")), api.toString());
    }

    /**
     * The Failures view charts today's runs of a pipeline by cause, names the reasons of its failures, narrows both to a
     * stage, and is read by keyboard: one tab stop into the chart, the arrow keys from day to day.
     */
    @Test
    void theFailuresViewChartsTheDaysByCauseListsTheTopReasonsAndFiltersByStage() throws IOException {
        Cluster cluster = new Cluster(client);
        String pipeline = Pods.name("charted");
        List<Pod> pods = List.of(
                cluster.create(pod(pipeline, "ci", "unit-tests").succeeded().build()),
                cluster.create(pod(pipeline, "ci", "lint").succeeded().build()),
                cluster.create(pod(pipeline, "ci", "build").failed(1).build()),
                cluster.create(pod(pipeline, "ci", "package").failed(2).build()),
                cluster.create(pod(pipeline, "post-cd", "deploy").succeeded().build()),
                cluster.create(pod(pipeline, "post-cd", "smoke")
                        .failed(137)
                        .reason("Evicted", Pods.PRESSURE_MESSAGE)
                        .build()));
        await().atMost(WAIT)
                .untilAsserted(() -> assertEquals(
                        List.of("SUCCEEDED", "SUCCEEDED", "EXIT_CODE", "EXIT_CODE", "SUCCEEDED", "EVICTED"),
                        pods.stream()
                                .map(pod -> given().get(
                                                "/api/runs/" + pod.getMetadata().getUid())
                                        .then()
                                        .statusCode(200)
                                        .extract()
                                        .jsonPath())
                                .map(run -> "FAILED".equals(run.getString("status"))
                                        ? run.getString("reason")
                                        : run.getString("status"))
                                .toList()));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).toString();

        given().get("/failures")
                .then()
                .statusCode(200)
                .header("Content-Type", containsString("text/html"))
                .body(containsString("<title>stagewatch"));
        driver.get(root + "failures?pipeline=" + pipeline);
        awaitPageReady();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertEquals(
                    today + ": 3 succeeded, 2 workload, 1 infrastructure",
                    bar(today).getAttribute("aria-label"));
            assertEquals(8, driver.findElements(By.cssSelector("#chart .bar")).size(), "the last 7 days and today");
            assertEquals(List.of("EXIT_CODE", "EVICTED"), reasons(), "the most frequent first");
        });
        assertEquals(
                today + ": 3 succeeded, 2 workload, 1 infrastructure",
                bar(today).findElement(By.tagName("title")).getAttribute("textContent"),
                "the numbers show on pointing, too");
        String reasons = driver.findElement(By.id("reasons")).getText();
        assertTrue(
                reasons.contains("A container exited with a non-zero code")
                        && reasons.contains("Evicted")
                        && reasons.contains("Workload")
                        && reasons.contains("Infrastructure"),
                reasons);
        assertEquals(
                "page",
                driver.findElement(By.cssSelector(".views a[href='/failures']")).getAttribute("aria-current"));

        new Select(driver.findElement(By.id("failures-stage"))).selectByValue("CI");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertEquals(
                    today + ": 2 succeeded, 2 workload, 0 infrastructure",
                    bar(today).getAttribute("aria-label"));
            assertEquals(List.of("EXIT_CODE"), reasons());
        });
        assertTrue(driver.getCurrentUrl().contains("stage=CI"), "the filters are in the address");
        new Select(driver.findElement(By.id("failures-stage"))).selectByValue("");
        await().atMost(WAIT)
                .ignoreExceptions()
                .untilAsserted(() -> assertEquals(List.of("EXIT_CODE", "EVICTED"), reasons()));

        // by keyboard: from the last filter, Tab reaches today's bar, and the left arrow the day before
        js("arguments[0].focus()", driver.findElement(By.id("failures-platform")));
        new Actions(driver).sendKeys(Keys.TAB).perform();
        assertEquals(today, driver.switchTo().activeElement().getAttribute("data-day"));
        new Actions(driver).sendKeys(Keys.ARROW_LEFT).perform();
        assertEquals(yesterday, driver.switchTo().activeElement().getAttribute("data-day"));
        new Actions(driver).sendKeys(Keys.ARROW_RIGHT).perform();
        assertEquals(today, driver.switchTo().activeElement().getAttribute("data-day"));
        assertTrue(
                driver.findElement(By.id("chart-readout"))
                        .getText()
                        .endsWith("3 succeeded, 2 workload, 1 infrastructure"),
                driver.findElement(By.id("chart-readout")).getText());
        browser.screenshot("failures.png");
    }

    @Test
    void theDetailRouteServesThePageAndAnUnknownRunSaysSo() {
        given().get("/runs/no-such-run")
                .then()
                .statusCode(200)
                .header("Content-Type", containsString("text/html"))
                .body(containsString("<title>stagewatch"));
        driver.get(root + "runs/no-such-run");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertEquals(
                    "Run not found", driver.findElement(By.id("detail-title")).getText());
            assertTrue(driver.findElement(By.id("detail-error")).getText().contains("no-such-run"));
        });
    }

    /**
     * Each row names the platform whose profile read its run, live from the feed and again from the list after a
     * reload. This application enables the stagewatch profile alone, so the Argo run is written as the pipeline writes
     * the run of a pod the Argo profile claims (PlatformsPipelineTest takes Argo pods that far end to end).
     */
    @Test
    void eachRunShowsItsPlatform() {
        String pipeline = Pods.name("platforms");
        driver.get(root + "?pipeline=" + pipeline);
        awaitPageReady();

        Pod own = new Cluster(client)
                .create(pod(pipeline, "ci", "unit-tests").succeeded().build());
        String argoUid = UUID.randomUUID().toString();
        Instant now = Instant.now();
        runs.insert(
                        Runs.attributes(
                                argoUid, "argo", Pods.name("build-step"), "build", pipeline, Platform.ARGO, List.of()),
                        null,
                        new Verdict(RunStatus.SUCCEEDED, null, null, now, now),
                        Source.WATCH,
                        now)
                .await()
                .atMost(WAIT);
        Map<String, String> platforms = Map.of(own.getMetadata().getUid(), "stagewatch", argoUid, "argo");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertEquals(platforms, shownPlatforms()));

        driver.navigate().refresh();
        awaitPageReady();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertEquals(platforms, shownPlatforms()));
    }

    /**
     * Once the database knows a second cluster, each row shows its cluster and the list filters by it; the cluster stays
     * in the address. West's run is written as west's pipeline writes it.
     */
    @Test
    void withASecondClusterEachRunShowsItsClusterAndTheListFiltersByIt() {
        bindings.bind("west", null).await().atMost(WAIT);
        String pipeline = Pods.name("clusters");
        Pod own = new Cluster(client).create(pod(pipeline, "ci", "unit-tests").build());
        String westUid = UUID.randomUUID().toString();
        Instant now = Instant.now();
        runs.insert(
                        Runs.attributes(
                                westUid,
                                "ci",
                                own.getMetadata().getName(),
                                "unit-tests",
                                pipeline,
                                Platform.STAGEWATCH,
                                List.of(),
                                "west"),
                        null,
                        new Verdict(RunStatus.PENDING, null, null, null, null),
                        Source.WATCH,
                        now)
                .await()
                .atMost(WAIT);
        String ownUid = own.getMetadata().getUid();

        driver.get(root + "?pipeline=" + pipeline);
        awaitPageReady();
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertEquals(Runs.CLUSTER, cell(ownUid, "col-cluster").getText());
            assertEquals("west", cell(westUid, "col-cluster").getText());
        });

        new Select(driver.findElement(By.id("filter-cluster"))).selectByValue("west");
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertEquals(List.of(westUid), shownUids()));
        assertTrue(driver.getCurrentUrl().contains("cluster=west"), driver.getCurrentUrl());
    }

    @Test
    void insecureModeIsShownAsABannerOnEveryView() {
        for (String view : List.of("", "failures", "runs/no-such-run")) {
            driver.get(root + view);
            await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
                WebElement banner = driver.findElement(By.id("insecure-banner"));
                assertTrue(banner.isDisplayed(), view);
                assertTrue(banner.getText().contains("stagewatch.api.insecure=true"), banner.getText());
            });
        }
    }

    /** A Pending workflow pod of {@code pipeline}, named after its workflow. */
    private static Pods pod(String pipeline, String stage, String workflow) {
        return Pods.workflow(Pods.name("web"), Pods.name(workflow), stage)
                .pipeline(pipeline)
                .label("stagewatch.io/workflow", workflow);
    }

    /** What the kubelet writes when a graceful node shutdown kills the pod (fixtures/pods/03-...). */
    private static Pods nodeShutdown(Pods running) {
        return running.ended("Failed", 143, "Error")
                .reason("Terminated", Pods.SHUTDOWN_MESSAGE)
                .disruption("TerminationByKubelet", Pods.SHUTDOWN_MESSAGE);
    }

    private static void awaitPageReady() {
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> {
            assertEquals("ready", driver.findElement(By.tagName("body")).getAttribute("data-state"));
            assertEquals("live", driver.findElement(By.id("feed-state")).getAttribute("data-state"));
        });
    }

    /** Marks the document, so that {@link #samePage()} tells whether it was reloaded since. */
    private static void markPage() {
        js("window.stagewatchTestMark = 'unchanged'");
    }

    private static boolean samePage() {
        return "unchanged".equals(js("return window.stagewatchTestMark"));
    }

    private static String rowSelector(String uid) {
        return "#groups tr[data-uid='" + uid + "']";
    }

    private static WebElement row(String uid) {
        return driver.findElement(By.cssSelector(rowSelector(uid)));
    }

    private static WebElement cell(String uid, String className) {
        return row(uid).findElement(By.cssSelector("td." + className));
    }

    private static WebElement bar(String day) {
        return driver.findElement(By.cssSelector("#chart .bar[data-day='" + day + "']"));
    }

    private static List<String> reasons() {
        return driver.findElements(By.cssSelector("#reasons li")).stream()
                .map(li -> li.getAttribute("data-reason"))
                .toList();
    }

    /** The platform each row shows, by run UID. */
    private static Map<String, String> shownPlatforms() {
        return driver.findElements(By.cssSelector("#groups tbody tr")).stream()
                .collect(Collectors.toMap(
                        tr -> tr.getAttribute("data-uid"),
                        tr -> tr.findElement(By.cssSelector(".platform")).getText()));
    }

    private static List<String> shownUids() {
        return driver.findElements(By.cssSelector("#groups tbody tr")).stream()
                .map(tr -> tr.getAttribute("data-uid"))
                .toList();
    }

    private static Object js(String script, Object... arguments) {
        return browser.js(script, arguments);
    }
}
