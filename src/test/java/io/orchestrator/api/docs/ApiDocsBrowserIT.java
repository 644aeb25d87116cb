package io.orchestrator.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.Browser;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The API explorer in a real headless Chromium (Debian's chromium and chromium-driver) against the whole service:
 * it renders the served contract under its Content-Security-Policy without a violation, and "Try it out" calls the
 * API with the token entered under Authorize, which goes into no URL and no storage. Skipped with one line where the
 * browser is not installed.
 */
@SharedApp.Config
class ApiDocsBrowserIT {

  /** Runs before any script of each page: records what the Content-Security-Policy blocked. */
  private static final String VIOLATIONS = "window.__cspViolations = [];"
    + "document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push("
    + "e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));";

  private static TestApp app;
  private static Browser browser;

  @BeforeAll
  static void start(TestApp shared) {
    Browser.assumeInstalled();
    app = shared;
    browser = Browser.start(1280, 900);
    browser.driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", VIOLATIONS));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  @DisplayName("Authorize, then Try it out: the call carries the bearer token, which no URL or storage holds")
  void tryItOutWithBearerToken() {
    String workspace = TestApp.randomWorkspace();
    assertThat(app.client(workspace).post("/functions", new JsonObject().put("name", "from-the-explorer")
      .put("runtime", "worker").put("queue", "q")).status()).isEqualTo(201);
    String token = app.token("explorer-user", workspace);

    browser.driver.get(base() + "/orchestration/api/v1/docs");
    assertThat(browser.driver.getCurrentUrl()).isEqualTo(base() + "/orchestration/api/v1/docs/");
    browser.find(By.cssSelector("#operations-default-listFunctions"));
    assertThat(browser.driver.getTitle()).isEqualTo("Orchestrator API explorer");
    assertThat(browser.driver.findElement(By.cssSelector(".info .title")).getText()).startsWith("Orchestrator API");

    browser.find(By.cssSelector("button.btn.authorize")).click();
    browser.find(By.cssSelector("input[aria-label='auth-bearer-value']")).sendKeys(token);
    browser.find(By.cssSelector("button[aria-label='Apply credentials']")).click();
    browser.find(By.cssSelector("button.btn-done")).click();

    browser.find(By.cssSelector("#operations-default-listFunctions .opblock-summary-control")).click();
    WebElement operation = browser.find(By.id("operations-default-listFunctions"));
    browser.find(By.cssSelector("#operations-default-listFunctions button.try-out__btn")).click();
    operation.findElement(By.cssSelector("tr[data-param-name='workspaceSlug'] input")).sendKeys(workspace);
    browser.find(By.cssSelector("#operations-default-listFunctions button.execute")).click();

    WebElement status = browser.find(By.cssSelector("#operations-default-listFunctions .live-responses-table "
      + "tbody .response-col_status"));
    assertThat(status.getText()).isEqualTo("200");
    assertThat(operation.findElement(By.cssSelector(".live-responses-table tbody .response-col_description"))
      .getText()).contains("from-the-explorer");
    browser.screenshot("api-explorer-try-it-out");

    assertThat(browser.driver.getCurrentUrl()).doesNotContain(token);
    assertThat(String.valueOf(browser.js("return JSON.stringify(Object.assign({}, localStorage))"
      + " + JSON.stringify(Object.assign({}, sessionStorage));"))).doesNotContain(token);
    assertThat(violations()).isEmpty();
  }

  @SuppressWarnings("unchecked")
  private static List<String> violations() {
    return (List<String>) browser.js("return window.__cspViolations;");
  }

  private static String base() {
    return "http://127.0.0.1:" + app.orchestrator.httpPort();
  }
}
