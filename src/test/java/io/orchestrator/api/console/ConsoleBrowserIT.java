package io.orchestrator.api.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.Browser;
import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.FunctionServer.Answer;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console end to end in a real headless Chromium (Debian's chromium and chromium-driver) against the whole
 * service: sign-in, graphs, live runs, failure and redrive, simulation, filters, keyboard use and axe-core on every
 * page. Skipped with one line where the browser is not installed. Screenshots go to target/console-screenshots/.
 */
@SharedApp.Config("ORCH_ROLES=api,worker")
class ConsoleBrowserIT {

  private static TestApp app;
  private static FunctionServer functions;
  private static Browser browser;

  private String workspace;
  private ApiClient client;

  @BeforeAll
  static void start(TestApp shared) {
    Browser.assumeInstalled();
    app = shared;
    functions = FunctionServer.start();
    browser = Browser.start(1280, 900);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (functions != null) {
      functions.close();
    }
  }

  @BeforeEach
  void newWorkspace() {
    workspace = TestApp.randomWorkspace();
    client = app.client(workspace);
    browser.resize(1280, 900);
  }

  @AfterEach
  void signOut() {
    browser.js("sessionStorage.clear();");
  }

  @Test
  @DisplayName("signing in with a pasted token opens the orchestrations list; the token stays in session storage only")
  void signIn() {
    String id = orderFlow("order-flow");
    browser.driver.get(base() + "/console/");
    browser.find(By.id("token"));
    browser.screenshot("sign-in");
    assertNoSeriousViolations("sign-in");
    signInHere();
    browser.find(By.linkText("Orchestration order-flow"));
    assertThat(browser.driver.getCurrentUrl()).doesNotContain("eyJ");
    assertThat(browser.js("return localStorage.length;")).isEqualTo(0L);
    assertThat((String) browser.js("return sessionStorage.getItem('orchestrator.console.token');")).startsWith("eyJ");
    assertThat(id).startsWith("orch_");
    browser.screenshot("orchestrations");
  }

  @Test
  @DisplayName("an orchestration created through the API shows its graph: shapes per step type, case labels on decision edges")
  void graph() {
    String id = orderFlow("graph-flow");
    open("/orchestrations/" + id);
    WebElement svg = browser.find(By.cssSelector("#graph svg"));
    assertThat(svg.findElements(By.cssSelector("[data-step]"))).hasSize(5);
    assertThat(svg.findElement(By.cssSelector("[data-step='check'] polygon"))).isNotNull();
    assertThat(svg.findElement(By.cssSelector("[data-step='wait'] rect"))).isNotNull();
    assertThat(svg.getText()).contains("case 1: validate.ok eq true").contains("default");
    assertThat(browser.find(By.id("trigger-h")).getText()).isEqualTo("Trigger");

    JsonObject current = client.get("/orchestrations/" + id).json();
    current.getJsonArray("steps").getJsonObject(2).put("delayMs", 250);
    ApiClient.Reply updated = client.send(HttpMethod.PUT, "/orchestrations/" + id, new JsonObject()
        .put("name", current.getString("name")).put("trigger", current.getJsonObject("trigger"))
        .put("steps", current.getJsonArray("steps")),
      MultiMap.caseInsensitiveMultiMap().add("If-Match", "\"1\""));
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    open("/orchestrations/" + id);
    WebElement diff = browser.find(By.cssSelector("#versions table.diff"));
    assertThat(text("#versions")).contains("1 line(s) differ between v1 and v2");
    assertThat(diff.findElements(By.cssSelector("tr.diff-changed"))).hasSize(1);
    assertThat(diff.findElement(By.cssSelector("tr.diff-changed")).getText()).contains("\"delayMs\": 10")
      .contains("\"delayMs\": 250");
    browser.fullScreenshot("orchestration");
  }

  @Test
  @DisplayName("a scheduled orchestration shows its next fire times")
  void schedulePreview() {
    String fn = function("tick");
    ApiClient.Reply reply = client.post("/orchestrations", new JsonObject().put("slug", "nightly")
      .put("name", "Nightly").put("trigger", new JsonObject().put("type", "scheduled").put("scheduleType", "cron")
        .put("cronExpression", "30 2 * * *").put("timezone", "Europe/Berlin"))
      .put("steps", new JsonArray().add(compute("tick", fn, null))));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    open("/orchestrations/" + reply.json().getString("id"));
    browser.waitFor(d -> text("#main").contains("Next fires") ? true : null);
    List<WebElement> fires = browser.driver.findElements(By.xpath("//h3[.='Next fires']/following-sibling::table//tbody/tr"));
    assertThat(fires).hasSize(5);
    assertThat(fires.get(0).getText()).contains("02:30:00.000+0");
  }

  @Test
  @DisplayName("a triggered run goes from running to completed on its page without a reload")
  void liveRun() {
    String fn = function("slow");
    functions.script(fn("slow")).always(Answer.json(new JsonObject().put("ok", true)).delayed(Duration.ofMillis(1500)));
    String id = create("live-flow", compute("first", fn, "second"), compute("second", fn, null));
    open("/orchestrations/" + id);
    browser.js("window.__notReloaded = true;");
    browser.find(By.id("trigger-input")).clear();
    browser.find(By.id("trigger-input")).sendKeys("{\"orderId\": 7}");
    browser.find(By.id("trigger-run")).click();
    browser.waitFor(d -> summaryStatus().contains("running") ? true : null);
    browser.screenshot("run-running");
    browser.waitFor(Duration.ofSeconds(20), d -> summaryStatus().contains("completed") ? true : null);
    assertThat(browser.js("return window.__notReloaded === true;")).isEqualTo(true);
    assertThat(browser.find(By.id("timeline")).findElements(By.cssSelector("tbody tr"))).hasSize(2);
    assertThat(browser.find(By.cssSelector("#graph [data-step='second']")).getAttribute("class"))
      .contains("state-completed");
  }

  @Test
  @DisplayName("a failed run shows its error and every attempt on the failing step; redrive completes it once the function is fixed")
  void failureAndRedrive() {
    String fn = function("charge");
    functions.script(fn("charge")).always(Answer.status(500, new JsonObject().put("error", "card declined")));
    String id = create("fail-flow", compute("charge", fn, null)
      .put("retry", new JsonObject().put("maxAttempts", 2).put("backoffMs", 100)));
    String runId = trigger(id, new JsonObject().put("amount", 12), null);
    open("/orchestrations/" + id + "/runs/" + runId);
    browser.waitFor(d -> summaryStatus().contains("failed") ? true : null);
    WebElement failure = browser.find(By.id("run-failure"));
    assertThat(failure.getText()).contains("charge").contains("http_500").contains("attempt 2");
    WebElement step = browser.find(By.id("step-charge"));
    assertThat(step.getAttribute("open")).isNotNull();
    List<WebElement> attempts = step.findElements(By.cssSelector("table.errors tbody tr"));
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).getText()).startsWith("1").contains("http_500");
    assertThat(browser.find(By.cssSelector("#graph [data-step='charge']")).getAttribute("class")).contains("state-failed");
    browser.fullScreenshot("run-failed");
    assertNoSeriousViolations("run page (failed)");

    functions.script(fn("charge")).always(Answer.json(new JsonObject().put("charged", true)));
    browser.find(By.id("redrive-run")).click();
    browser.find(By.cssSelector("dialog[open] button[value='ok']")).click();
    browser.waitFor(Duration.ofSeconds(20), d -> summaryStatus().contains("completed") ? true : null);
    assertThat(text("#run-summary")).contains("Redrives1");
    browser.screenshot("run-redriven");
  }

  @Test
  @DisplayName("simulating with a mock that says the order is invalid takes the other decision branch, drawn on the graph")
  void simulate() {
    String id = orderFlow("sim-flow");
    open("/orchestrations/" + id);
    simulateWith("{\"validate\": {\"output\": {\"ok\": true}}, \"fulfill\": {\"output\": {}}}");
    assertThat(browser.find(By.id("sim-path")).getText()).isEqualTo("validate → check → wait → fulfill");
    simulateWith("{\"validate\": {\"output\": {\"ok\": false}}, \"reject\": {\"output\": {\"notified\": true}}}");
    browser.waitFor(d -> browser.find(By.id("sim-path")).getText().contains("reject") ? true : null);
    assertThat(browser.find(By.id("sim-path")).getText()).isEqualTo("validate → check → reject");
    assertThat(browser.find(By.cssSelector("#graph [data-step='reject']")).getAttribute("class")).contains("state-visited");
    assertThat(browser.find(By.cssSelector("#graph [data-step='fulfill']")).getAttribute("class"))
      .doesNotContain("state-");
    browser.js("document.getElementById('graph').scrollIntoView();");
    browser.screenshot("simulation");
  }

  @Test
  @DisplayName("the runs list filters by status, correlation id and start date range, and shows new runs live")
  void runsFilters() {
    String fn = function("check");
    functions.script(fn("check")).respond(call -> new JsonObject(new String(call.body())).getJsonObject("input")
      .getBoolean("fail", false) ? Answer.status(500, new JsonObject()) : Answer.json(new JsonObject()));
    String id = create("filter-flow", compute("check", fn, null));
    for (String corr : List.of("corr-a", "corr-b", "corr-c")) {
      trigger(id, new JsonObject().put("fail", corr.equals("corr-b")), corr);
    }
    awaitRuns(id, 3);
    open("/orchestrations/" + id + "/runs");
    browser.waitFor(d -> runRows().size() == 3 ? true : null);
    new Select(browser.find(By.id("filter-status"))).selectByValue("failed");
    browser.find(By.id("apply-filters")).click();
    browser.waitFor(d -> runRows().size() == 1 && runRows().get(0).getText().contains("corr-b") ? true : null);
    browser.screenshot("runs-failed");
    open("/orchestrations/" + id + "/runs");
    browser.waitFor(d -> runRows().size() == 3 ? true : null);
    browser.find(By.id("filter-correlation")).sendKeys("corr-c");
    browser.find(By.id("apply-filters")).click();
    browser.waitFor(d -> runRows().size() == 1 && runRows().get(0).getText().contains("corr-c") ? true : null);

    open("/orchestrations/" + id + "/runs?from=2099-01-01T00:00");
    browser.waitFor(d -> text("#runs-table tbody").contains("No runs match.") ? true : null);
    open("/orchestrations/" + id + "/runs?from=2000-01-01T00:00&to=2099-01-01T00:00");
    browser.waitFor(d -> runRows().size() == 3 ? true : null);

    open("/orchestrations/" + id + "/runs");
    browser.waitFor(d -> runRows().size() == 3 ? true : null);
    browser.waitFor(d -> browser.find(By.cssSelector("p.live")).getText().startsWith("Live:") ? true : null);
    String fourth = trigger(id, new JsonObject(), "corr-d");
    browser.waitFor(d -> runRows().size() == 4 && runRows().get(0).getText().contains(fourth) ? true : null);
    browser.screenshot("runs");
  }

  @Test
  @DisplayName("a bulk cancel started from the filtered runs page shows its progress until every matched run is cancelled")
  void bulkCancelFromRunsPage() {
    String id = create("bulk-flow", new JsonObject().put("id", "wait").put("type", "delay").put("delayMs", 3_600_000));
    List<String> runIds = List.of(trigger(id, new JsonObject(), "bulk-corr"), trigger(id, new JsonObject(),
      "bulk-corr"), trigger(id, new JsonObject(), "bulk-corr"));
    trigger(id, new JsonObject(), "other-corr");
    open("/orchestrations/" + id + "/runs?correlationId=bulk-corr");
    browser.waitFor(d -> runRows().size() == 3 ? true : null);

    new Select(browser.find(By.id("bulk-action"))).selectByValue("cancel");
    browser.find(By.cssSelector("#bulk button[type='submit']")).click();
    browser.find(By.cssSelector("dialog[open] button[value='ok']")).click();
    browser.waitFor(d -> d.getCurrentUrl().contains("#/bulk-operations/bulk_") ? true : null);
    browser.waitFor(Duration.ofSeconds(20), d -> text("main dl.facts").contains("completed") ? true : null);

    String facts = text("main dl.facts");
    assertThat(facts).contains("cancel").contains("Matched3").contains("Succeeded3").contains("Failed0");
    for (String runId : runIds) {
      assertThat(client.get("/orchestrations/" + id + "/runs/" + runId).json().getString("status"))
        .isEqualTo("cancelled");
    }
    assertThat(client.get("/orchestrations/" + id + "/runs?status=waiting").json().getJsonObject("meta")
      .getLong("total")).isEqualTo(1);
    assertNoSeriousViolations("bulk operation page");
    open("/bulk-operations");
    browser.waitFor(d -> text("main table").contains("cancel") && text("main table").contains("completed")
      ? true : null);
    browser.screenshot("bulk-operations");
  }

  @Test
  @DisplayName("keyboard only: Tab reaches the trigger button and Enter starts a run; Tab reaches redrive and Enter confirms it")
  void keyboardOnly() {
    String fn = function("kb");
    functions.script(fn("kb")).always(Answer.status(503, new JsonObject()));
    String id = create("kb-flow", compute("kb", fn, null));
    open("/orchestrations/" + id);
    tabUntil("trigger-run", 80);
    active().sendKeys(Keys.ENTER);
    browser.waitFor(d -> d.getCurrentUrl().contains("/runs/run_") ? true : null);
    browser.waitFor(d -> summaryStatus().contains("failed") ? true : null);
    functions.script(fn("kb")).always(Answer.json(new JsonObject()));
    tabUntil("redrive-run", 40);
    active().sendKeys(Keys.ENTER);
    browser.waitFor(d -> "ok".equals(active().getAttribute("value")) ? true : null);
    active().sendKeys(Keys.ENTER);
    browser.waitFor(Duration.ofSeconds(20), d -> summaryStatus().contains("completed") ? true : null);
  }

  @Test
  @DisplayName("axe-core finds no serious or critical violation on any page, at 1280 px and at 390 px")
  void accessibility() {
    String id = orderFlow("a11y-flow");
    String fnId = client.get("/functions").json().getJsonArray("data").getJsonObject(0).getString("id");
    String runId = trigger(id, new JsonObject(), "corr-a11y");
    awaitRuns(id, 1);
    Map<String, String> pages = new TreeMap<>();
    pages.put("orchestrations", "/orchestrations");
    pages.put("orchestration", "/orchestrations/" + id);
    pages.put("runs", "/orchestrations/" + id + "/runs");
    pages.put("run", "/orchestrations/" + id + "/runs/" + runId);
    pages.put("find-runs", "/runs?correlationId=corr-a11y");
    pages.put("functions", "/functions");
    pages.put("function", "/functions/" + fnId);
    pages.put("new-function", "/functions/new");
    pages.put("worker-queues", "/worker-queues");
    pages.put("bulk-operations", "/bulk-operations");
    List<String> problems = new ArrayList<>();
    for (int width : new int[] {1280, 390}) {
      browser.resize(width, 900);
      pages.forEach((name, path) -> {
        open(path);
        browser.waitFor(d -> d.findElements(By.cssSelector("main h1")).isEmpty() ? null : true);
        settle();
        browser.screenshot(name + "-" + width);
        browser.seriousAccessibilityViolations().forEach(v -> problems.add(name + " at " + width + " px: " + v));
        Object overflow = browser.js("return document.documentElement.scrollWidth - window.innerWidth;");
        if (((Number) overflow).intValue() > 1) {
          problems.add(name + " at " + width + " px: the page scrolls sideways by " + overflow + " px");
        }
      });
    }
    assertThat(problems).isEmpty();
  }

  @Test
  @DisplayName("a run's page stays live through more than 200 executed steps")
  void longRunStaysLive() {
    String fn = function("count");
    // the first call is slow, so the page is open while the run is still running however fast the engine is (the
    // 200 steps after it take ~2 s); the others take 15 ms each
    functions.script(fn("count")).respond(call -> {
      int i = new JsonObject(new String(call.body())).getJsonObject("context").getInteger("i", 0);
      return Answer.json(new JsonObject().put("$context", new JsonObject().put("i", i + 1)))
        .delayed(Duration.ofMillis(i == 0 ? 5_000 : 15));
    });
    String id = create("loop-flow", compute("count", fn, "again"),
      new JsonObject().put("id", "again").put("type", "decision").put("cases", new JsonArray().add(new JsonObject()
        .put("conditions", new JsonArray().add(new JsonObject().put("path", "context.i").put("op", "lt").put("value", 100)))
        .put("nextStepId", "count"))).put("defaultNextStepId", "done"), compute("done", fn, null));
    String runId = trigger(id, new JsonObject(), null);
    open("/orchestrations/" + id + "/runs/" + runId);
    browser.waitFor(d -> summaryStatus().contains("running") ? true : null);
    browser.waitFor(Duration.ofSeconds(60), d -> summaryStatus().contains("completed") ? true : null);
    assertThat(text("#run-summary")).contains("Steps executed201"); // 100 × (count, again), done
    browser.waitFor(d -> browser.find(By.id("timeline")).findElements(By.cssSelector("tbody tr")).size() == 201
      ? true : null);
    browser.screenshot("run-200-steps");
  }

  // --- helpers

  private String base() {
    return "http://127.0.0.1:" + app.orchestrator.httpPort();
  }

  private void signInHere() {
    WebElement token = browser.find(By.id("token"));
    token.clear();
    token.sendKeys(app.token("console-user", workspace));
    WebElement ws = browser.find(By.id("workspace"));
    ws.clear();
    ws.sendKeys(workspace);
    browser.find(By.xpath("//button[normalize-space()='Sign in']")).click();
    browser.waitFor(d -> d.getCurrentUrl().contains("#/orchestrations") ? true : null);
  }

  /** Opens a console page, signing in first when this tab has no token. */
  private void open(String route) {
    if (!Boolean.TRUE.equals(browser.js("return sessionStorage.getItem('orchestrator.console.workspace') === arguments[0];",
      workspace))) {
      browser.driver.get(base() + "/console/#/signin");
      browser.js("sessionStorage.clear();");
      browser.driver.navigate().refresh();
      signInHere();
    }
    String url = base() + "/console/#" + route;
    boolean same = url.equals(browser.driver.getCurrentUrl());
    browser.driver.get(url);
    if (same) {
      browser.driver.navigate().refresh(); // the same hash fires no hashchange: render it afresh
    }
    browser.waitFor(d -> d.findElements(By.cssSelector("main h1")).isEmpty() ? null : true);
  }

  /** Lets in-flight fetches of the page finish before it is judged. */
  private void settle() {
    browser.waitFor(d -> d.findElements(By.xpath("//*[contains(text(),'Loading')]")).isEmpty() ? true : null);
  }

  private String summaryStatus() {
    // read in the page: the summary is re-rendered on every live event, so a held element goes stale
    return (String) browser.js("const dd = document.querySelector('#run-summary dd'); return dd ? dd.textContent : '';");
  }

  private String text(String selector) {
    return (String) browser.js("const e = document.querySelector(arguments[0]); return e ? e.textContent : '';",
      selector);
  }

  private List<WebElement> runRows() {
    return browser.driver.findElements(By.cssSelector("#runs-table tbody tr[data-run]"));
  }

  private WebElement active() {
    return browser.driver.switchTo().activeElement();
  }

  private void tabUntil(String id, int max) {
    for (int i = 0; i < max; i++) {
      if (id.equals(active().getAttribute("id"))) {
        return;
      }
      active().sendKeys(Keys.TAB);
    }
    throw new AssertionError("#" + id + " not reached within " + max + " Tab presses; at " + active().getTagName()
      + "#" + active().getAttribute("id"));
  }

  private void simulateWith(String mocks) {
    WebElement field = browser.find(By.id("sim-mocks"));
    browser.js("arguments[0].value = arguments[1];", field, mocks);
    browser.find(By.id("simulate")).click();
    browser.find(By.id("sim-path"));
  }

  private void assertNoSeriousViolations(String page) {
    assertThat(browser.seriousAccessibilityViolations()).as("axe-core on " + page).isEmpty();
  }

  private String fn(String name) {
    return workspace + "-" + name;
  }

  private String function(String name) {
    ApiClient.Reply reply = client.post("/functions", new JsonObject().put("name", name).put("runtime", "http")
      .put("url", functions.url(fn(name))));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  private static JsonObject compute(String id, String functionId, String next) {
    JsonObject step = new JsonObject().put("id", id).put("type", "compute").put("functionId", functionId);
    return next == null ? step : step.put("nextStepId", next);
  }

  private String create(String slug, JsonObject... steps) {
    ApiClient.Reply reply = client.post("/orchestrations", new JsonObject().put("slug", slug)
      .put("name", "Orchestration " + slug).put("trigger", new JsonObject().put("type", "on-demand"))
      .put("steps", new JsonArray(List.of((Object[]) steps))));
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  /** validate → check (ok → wait → fulfill; default → reject). */
  private String orderFlow(String slug) {
    String fn = function("noop-" + slug);
    return create(slug, compute("validate", fn, "check"),
      new JsonObject().put("id", "check").put("type", "decision")
        .put("cases", new JsonArray().add(new JsonObject().put("conditions", new JsonArray().add(new JsonObject()
          .put("path", "steps.validate.output.ok").put("op", "eq").put("value", true))).put("nextStepId", "wait")))
        .put("defaultNextStepId", "reject"),
      new JsonObject().put("id", "wait").put("type", "delay").put("delayMs", 10).put("nextStepId", "fulfill"),
      compute("fulfill", fn, null), compute("reject", fn, null));
  }

  private String trigger(String id, JsonObject input, String correlationId) {
    JsonObject body = new JsonObject().put("input", input);
    if (correlationId != null) {
      body.put("correlationId", correlationId);
    }
    ApiClient.Reply reply = client.post("/orchestrations/" + id + "/trigger", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(201);
    return reply.json().getString("id");
  }

  /** Waits until {@code count} runs of the orchestration have finished. */
  private void awaitRuns(String id, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      JsonArray runs = client.get("/orchestrations/" + id + "/runs?pageSize=100").json().getJsonArray("data");
      long done = runs.stream().map(r -> ((JsonObject) r).getString("status"))
        .filter(st -> st.equals("completed") || st.equals("failed")).count();
      if (done >= count) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError(count + " runs of " + id + " did not finish");
  }
}
