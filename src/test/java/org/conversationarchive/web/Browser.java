package org.conversationarchive.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.util.FileSystemUtils;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The system's headless Chromium, driven through its own chromedriver (Debian's
 * {@code chromium} and {@code chromium-driver}); nothing is downloaded. Where either is
 * missing, the tests that need a browser are skipped.
 */
final class Browser implements AutoCloseable {

	static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	/**
	 * Debian's {@code /usr/bin/chromium} is a wrapper script; the binary behind it starts
	 * without the wrapper's environment checks.
	 */
	static final Path CHROMIUM_BINARY = Path.of("/usr/lib/chromium/chromium");

	static final Path SCREENSHOTS = Path.of("target/screenshots");

	private final WebDriver driver;

	private final Path profile;

	private final String base;

	private Browser(WebDriver driver, Path profile, String base) {
		this.driver = driver;
		this.profile = profile;
		this.base = base;
	}

	/**
	 * Starts a browser, or skips the calling tests where there is none.
	 * @param port the service's port
	 * @return the browser
	 */
	static Browser start(int port) {
		assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
				"the browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)");
		// Selenium Manager must never look for (or download) a driver of its own.
		System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
		Path profile;
		try {
			profile = Files.createTempDirectory("archive-chromium-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ChromeOptions options = new ChromeOptions();
		options.setBinary((Files.isExecutable(CHROMIUM_BINARY) ? CHROMIUM_BINARY : CHROMIUM).toString());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-quic",
				"--user-data-dir=" + profile, "--window-size=1440,900", "--autoplay-policy=no-user-gesture-required",
				"--lang=en-US");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		return new Browser(new ChromeDriver(service, options), profile, "http://localhost:" + port);
	}

	WebDriver driver() {
		return this.driver;
	}

	/**
	 * Makes the pages see the system's colour setting as {@code light} or {@code dark}
	 * ({@code prefers-color-scheme}), for this tab from now on.
	 * @param scheme {@code light} or {@code dark}
	 */
	void colorScheme(String scheme) {
		((ChromeDriver) this.driver).executeCdpCommand("Emulation.setEmulatedMedia",
				Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
	}

	void open(String path) {
		this.driver.get(this.base + path);
	}

	String path() {
		String url = this.driver.getCurrentUrl();
		return (url != null && url.startsWith(this.base)) ? url.substring(this.base.length()) : String.valueOf(url);
	}

	WebElement find(String css) {
		return this.driver.findElement(By.cssSelector(css));
	}

	List<WebElement> all(String css) {
		return this.driver.findElements(By.cssSelector(css));
	}

	<T> T waitUntil(Function<WebDriver, T> condition) {
		return waitUntil(Duration.ofSeconds(15), condition);
	}

	/**
	 * Waits until a condition holds, looking every 50 ms: Selenium's default, every 500
	 * ms, added a quarter of a second on average to each of the pages' many waits.
	 * @param <T> what the condition answers once it holds
	 * @param timeout how long it may take
	 * @param condition the condition
	 * @return its answer
	 */
	<T> T waitUntil(Duration timeout, Function<WebDriver, T> condition) {
		return new WebDriverWait(this.driver, timeout, Duration.ofMillis(50)).until(condition);
	}

	@SuppressWarnings("unchecked")
	<T> T script(String script, Object... arguments) {
		return (T) ((JavascriptExecutor) this.driver).executeScript(script, arguments);
	}

	/**
	 * Runs a script that answers by calling its last argument, waiting up to a minute.
	 * @param <T> what it answers, as Selenium converts it
	 * @param script the script
	 * @param arguments its arguments before the callback
	 * @return the answer
	 */
	@SuppressWarnings("unchecked")
	<T> T asyncScript(String script, Object... arguments) {
		this.driver.manage().timeouts().scriptTimeout(Duration.ofMinutes(1));
		return (T) ((JavascriptExecutor) this.driver).executeAsyncScript(script, arguments);
	}

	/**
	 * Saves what the browser shows to {@code target/screenshots/<name>.png}.
	 * @param name the file's name
	 */
	void screenshot(String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Path shot = ((TakesScreenshot) this.driver).getScreenshotAs(OutputType.FILE).toPath();
			Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			FileSystemUtils.deleteRecursively(this.profile.toFile());
		}
	}

}
