package io.orchestrator.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.Browser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The README's zero-set-up path in the browser: open the console of a service started with no store URLs and sign
 * in with one click. Opt-in (the embedded stores listen on fixed ports, which a shared test host cannot promise):
 * start {@code java -jar target/orchestrator.jar} in an empty directory, then run with
 * {@code -Dconsole.zeroSetUpUrl=http://127.0.0.1:8080}.
 */
class ConsoleZeroSetUpIT {

  @Test
  @DisplayName("in the zero-set-up start one click signs the console in")
  void oneClickSignIn() {
    String url = System.getProperty("console.zeroSetUpUrl");
    Assumptions.assumeTrue(url != null, "opt-in: -Dconsole.zeroSetUpUrl=<a service started with no store URLs>");
    Browser.assumeInstalled();
    try (Browser browser = Browser.start(1280, 900)) {
      browser.driver.get(url + "/console/");
      browser.find(By.id("dev-sign-in")).click();
      browser.waitFor(d -> d.getCurrentUrl().contains("#/orchestrations") ? true : null);
      assertThat(browser.find(By.id("session-workspace")).getText()).isEqualTo("Workspace: default");
      assertThat(browser.find(By.cssSelector("main h1")).getText()).isEqualTo("Orchestrations");
    }
  }
}
