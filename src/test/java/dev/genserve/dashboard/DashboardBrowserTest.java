package dev.genserve.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genserve.support.IntegrationTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntPredicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The dashboard in a real headless Chromium (Debian's chromium + chromedriver, driven by Selenium), against the whole
 * service on PostgreSQL with an API key: a write without the key fails visibly, then with the key a dataset is made
 * and previewed, a job is submitted and followed live to the end, the version's metrics show next to their floors,
 * samples are drawn, an alias is set, the attractor's forward process is simulated, and a second job is cancelled.
 * Screenshots are the assertions: the canvases are read back as pixels (the loss curve has line pixels, the sample
 * plot has points). The last screenshot is written to target/dashboard.png (docs/dashboard.png is a copy of it).
 * Skipped, with a message, where Chromium is not installed; .ci/run installs it.
 */
@IntegrationTest
@TestPropertySource(properties = "genserve.security.api-key=dash-key")
class DashboardBrowserTest {

    static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));

    @LocalServerPort
    int port;

    @BeforeAll
    static void requireChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "Dashboard browser test "
                + "skipped: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed (apt-get install chromium "
                + "chromium-driver; .ci/run installs them)");
    }

    @Test
    void dashboardTrainsSamplesAndShowsTheForwardProcess() throws Exception {
        Path profile = Files.createTempDirectory("genserve-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1900,1750");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        WebDriver driver = new ChromeDriver(service, options);
        try {
            driver.manage().window().setSize(new Dimension(1900, 1750));
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            driver.get("http://localhost:" + port + "/");
            wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
            assertThat(driver.getCurrentUrl()).endsWith("/dashboard/");

            // a write without the key is refused, and the page says so
            new Select(driver.findElement(By.id("builtin-name"))).selectByValue("eight-gaussians");
            type(driver, "builtin-n", "3000");
            type(driver, "builtin-dataset-name", "dash-8g");
            driver.findElement(By.cssSelector("#builtin-form button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toast"), "401"));

            type(driver, "api-key", "dash-key");
            driver.findElement(By.cssSelector("#builtin-form button")).click();
            clickRow(wait, "//table[@id='dataset-table']//td[text()='dash-8g']");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dataset-caption"), "3000 rows"));
            assertThat(ink(driver, "dataset-preview", DashboardBrowserTest::coloured))
                    .as("dataset preview has points").isGreaterThan(500);

            // a job, followed live to its end, with its loss curve
            type(driver, "job-model", "dash-vp");
            new Select(driver.findElement(By.id("job-dataset"))).selectByValue("dash-8g");
            new Select(driver.findElement(By.id("job-family"))).selectByValue("diffusion");
            type(driver, "job-name", "dashboard run");
            type(driver, "job-config", "{\"steps\": 250, \"batchSize\": 128, \"hidden\": 32, \"depth\": 2, "
                    + "\"sampleSteps\": 30}");
            driver.findElement(By.cssSelector("#job-form button")).click();
            new WebDriverWait(driver, Duration.ofSeconds(240)).until(
                    ExpectedConditions.textToBePresentInElementLocated(By.id("job-status"), "SUCCEEDED"));
            assertThat(driver.findElement(By.id("job-caption")).getText()).contains("step 250 / 250");
            assertThat(ink(driver, "loss-curve", DashboardBrowserTest::coloured))
                    .as("loss curve has line pixels").isGreaterThan(150);

            // the model, its version and the metrics next to their floors
            clickRow(wait, "//table[@id='model-table']//td[text()='dash-vp']");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("version-title"), "dash-vp v1"));
            List<WebElement> metricRows = driver.findElements(By.cssSelector("#metrics-table tbody tr"));
            long paired = metricRows.stream().filter(r -> !r.findElements(By.tagName("td")).get(2).getText().isEmpty())
                    .count();
            assertThat(paired).as("metrics with a floor next to them").isGreaterThanOrEqualTo(3);

            // samples drawn as points
            type(driver, "sample-n", "1500");
            type(driver, "sample-steps", "30");
            driver.findElement(By.id("sample-draw")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sample-caption"), "1500 samples"));
            assertThat(ink(driver, "sample-plot", DashboardBrowserTest::blue)).as("sample plot has points")
                    .isGreaterThan(1000);

            // an alias, with its history
            type(driver, "alias-name", "production");
            driver.findElement(By.cssSelector("#alias-form button")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("alias-history"), "production"));

            // the attractor's forward process as a snapshot strip
            new Select(driver.findElement(By.id("process-dataset"))).selectByValue("dash-8g");
            driver.findElement(By.cssSelector("#process-form button")).click();
            wait.until(d -> d.findElements(By.cssSelector("#process-strip canvas")).size() == 8);
            List<Long> particles = new java.util.ArrayList<>();
            for (WebElement canvas : driver.findElements(By.cssSelector("#process-strip canvas"))) {
                particles.add(ink(driver, canvas, DashboardBrowserTest::blue));
            }
            assertThat(particles).as("particles per snapshot").allMatch(count -> count > 100);

            // a long job, cancelled from the page
            type(driver, "job-model", "dash-cancel");
            type(driver, "job-name", "to cancel");
            type(driver, "job-config", "{\"steps\": 200000, \"batchSize\": 64, \"hidden\": 16, \"depth\": 1}");
            driver.findElement(By.cssSelector("#job-form button")).click();
            new WebDriverWait(driver, Duration.ofSeconds(120)).until(
                    ExpectedConditions.textToBePresentInElementLocated(By.id("job-status"), "RUNNING"));
            driver.findElement(By.id("job-cancel")).click();
            new WebDriverWait(driver, Duration.ofSeconds(60)).until(
                    ExpectedConditions.textToBePresentInElementLocated(By.id("job-status"), "CANCELLED"));

            // back to the trained job for the picture
            clickRow(wait, "//table[@id='job-table']//td[text()='dashboard run']");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("job-status"), "SUCCEEDED"));
            ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
            Thread.sleep(500);
            Path shot = Path.of("target", "dashboard.png");
            Files.write(shot, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            assertThat(ImageIO.read(shot.toFile()).getWidth()).isGreaterThan(1000);
        } finally {
            driver.quit();
            service.stop();
        }
    }

    /**
     * Finds and clicks a table cell, again if the table was re-rendered in between (the page refreshes the job list
     * every 5 s, and a click on the replaced row throws StaleElementReferenceException; one CI run hit that).
     */
    private static void clickRow(WebDriverWait wait, String xpath) {
        wait.until(d -> {
            try {
                WebElement cell = ExpectedConditions.elementToBeClickable(By.xpath(xpath)).apply(d);
                if (cell == null) {
                    return false;
                }
                cell.click();
                return true;
            } catch (org.openqa.selenium.StaleElementReferenceException e) {
                return false;
            }
        });
    }

    private static void type(WebDriver driver, String id, String text) {
        WebElement input = driver.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    private static long ink(WebDriver driver, String canvasId, IntPredicate pixel) throws IOException {
        return ink(driver, driver.findElement(By.id(canvasId)), pixel);
    }

    /** How many pixels of an element's screenshot satisfy {@code pixel} (an RGB int). */
    private static long ink(WebDriver driver, WebElement element, IntPredicate pixel) throws IOException {
        ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'})",
                element);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(element.getScreenshotAs(OutputType.BYTES)));
        long count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (pixel.test(image.getRGB(x, y))) {
                    count++;
                }
            }
        }
        return count;
    }

    /** A saturated colour (a point or a line), not white, grey or black (the frame and the labels). */
    private static boolean coloured(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80;
    }

    /** The points' blue (#2563eb), with antialiasing. */
    private static boolean blue(int rgb) {
        int r = (rgb >> 16) & 0xff;
        int g = (rgb >> 8) & 0xff;
        int b = rgb & 0xff;
        return b > 150 && b - r > 70 && b - g > 40;
    }
}
