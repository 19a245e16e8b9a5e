package dev.cornac.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium (Debian chromium, chromium-driver) on the UI, with the few moves the
 * tests share.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  final WebDriver driver;
  final WebDriverWait wait;
  final String base;

  Browser(String base) throws Exception {
    this.base = base;
    ChromeOptions o = new ChromeOptions();
    o.setBinary("/usr/bin/chromium");
    o.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000");
    driver =
        new ChromeDriver(
            new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
                .build(),
            o);
    wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    Files.createDirectories(SCREENSHOTS);
  }

  void login(String user, String password) {
    driver.get(base);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-user"))).sendKeys(user);
    driver.findElement(By.id("login-password")).sendKeys(password);
    screenshot("login");
    driver.findElement(By.id("login-submit")).click();
    // The page reloads after the login: elements found before are gone.
    wait.ignoring(WebDriverException.class)
        .until(d -> d.findElement(By.id("whoami")).getText().equals(user));
  }

  void go(String hash) {
    driver.get(base + "#/" + hash);
  }

  WebElement byId(String id) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
  }

  void type(String id, String text) {
    WebElement e = byId(id);
    e.clear();
    e.sendKeys(text);
  }

  void screenshot(String name) {
    try {
      Path png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
      Files.copy(
          png,
          SCREENSHOTS.resolve(name + ".png"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (Exception e) {
      // a missing screenshot is no test failure
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
