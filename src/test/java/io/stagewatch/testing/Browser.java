package io.stagewatch.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, through its chromedriver, with a profile of its own that is deleted on close; what it
 * shows can be saved as a whole-page PNG under target/screenshots/.
 */
public final class Browser implements AutoCloseable {

    private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    private static final String CHROMIUM = "/usr/bin/chromium";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    public static Browser start(java.time.Duration pageLoadTimeout) {
        if (!Files.isExecutable(Path.of(CHROMEDRIVER)) || !Files.isExecutable(Path.of(CHROMIUM))) {
            fail("The status page tests need Debian's chromium and chromedriver at " + CHROMIUM + " and " + CHROMEDRIVER
                    + ", and install nothing themselves. Install them with: apt-get update && apt-get install -y "
                    + "chromium chromium-driver (.ci/run does this on CI).");
        }
        // the driver and the browser are the installed ones: Selenium Manager must not look for (or download) any
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER);
        try {
            Path profile = Files.createTempDirectory("stagewatch-chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM);
            options.addArguments(
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--window-size=1360,900",
                    "--lang=en-US",
                    "--user-data-dir=" + profile);
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(CHROMEDRIVER))
                    .usingAnyFreePort()
                    .build();
            ChromeDriver driver = new ChromeDriver(service, options);
            driver.manage().timeouts().pageLoadTimeout(pageLoadTimeout);
            return new Browser(driver, profile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChromeDriver driver() {
        return driver;
    }

    public Object js(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** Saves the whole page, not only the window, as a PNG under target/screenshots/. */
    public void screenshot(String name) throws IOException {
        Path file = SCREENSHOTS.resolve(name);
        Files.createDirectories(file.getParent());
        Number width = (Number) js("return document.documentElement.clientWidth");
        Number height = (Number) js("return Math.max(document.documentElement.scrollHeight, window.innerHeight)");
        Map<String, Object> shot = driver.executeCdpCommand(
                "Page.captureScreenshot",
                Map.of(
                        "format",
                        "png",
                        "captureBeyondViewport",
                        true,
                        "clip",
                        Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    }

    @Override
    public void close() throws IOException {
        driver.quit();
        try (var files = Files.walk(profile)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
