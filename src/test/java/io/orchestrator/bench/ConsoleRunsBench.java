package io.orchestrator.bench;

import io.orchestrator.fixtures.Browser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;

/**
 * How fast the console's runs page shows its first page of an orchestration with many runs, in headless Chromium:
 * per round, a fresh load of {@code /console/#/orchestrations/<id>/runs[?status=…]} until its rows and the total are
 * on screen. Prints, per filter, the in-page figure (ms from navigation start to the rows' insertion, the
 * {@code console:runs-first-page} performance mark) and the wall time the test driver saw until the rows were
 * visible, median and max over the rounds after one warm-up.
 *
 * <p>{@code --port=… --token=… --workspace=… --orchestration=… --expectTotal=N [--rounds=7]}
 */
public final class ConsoleRunsBench {

  public static void main(String[] argv) {
    Map<String, String> args = BenchKit.args(argv);
    String base = "http://127.0.0.1:" + BenchKit.need(args, "port") + "/console/";
    String orchestration = BenchKit.need(args, "orchestration");
    String total = String.format("%,d runs", Long.parseLong(BenchKit.need(args, "expectTotal")));
    int rounds = BenchKit.integer(args, "rounds", 7);
    try (Browser browser = Browser.start(1280, 900)) {
      browser.driver.get(base + "#/signin");
      browser.js("sessionStorage.setItem('orchestrator.console.token', arguments[0]);"
        + "sessionStorage.setItem('orchestrator.console.workspace', arguments[1]);",
        BenchKit.need(args, "token"), BenchKit.need(args, "workspace"));
      for (String query : new String[] {"", "?status=pending", "?status=failed"}) {
        String url = base + "#/orchestrations/" + orchestration + "/runs" + query;
        List<Long> inPage = new ArrayList<>();
        List<Long> driverSaw = new ArrayList<>();
        for (int round = 0; round <= rounds; round++) {
          browser.driver.get("about:blank");
          long t0 = System.nanoTime();
          browser.driver.get(url);
          boolean empty = query.contains("failed");
          browser.waitFor(Duration.ofSeconds(30), d -> {
            int rows = d.findElements(By.cssSelector("#runs-table tbody tr")).size();
            String pager = d.findElements(By.cssSelector("nav.pager")).isEmpty() ? ""
              : d.findElement(By.cssSelector("nav.pager")).getText();
            return (empty ? rows == 1 && pager.contains(" 0 runs") : rows == 20 && pager.contains(total)) ? true : null;
          });
          long wall = (System.nanoTime() - t0) / 1_000_000;
          Number mark = (Number) browser.js("const m = performance.getEntriesByName('console:runs-first-page');"
            + "return m.length ? m[0].startTime : -1;");
          if (wall > 3000) {
            BenchKit.out("slow round %d (%d ms): %s", round, wall, browser.js("return JSON.stringify(performance"
              + ".getEntriesByType('resource').filter(e => e.duration > 1000).map(e => [e.name, Math.round(e.startTime),"
              + " Math.round(e.duration)]));"));
          }
          if (round > 0) {
            inPage.add(Math.round(mark.doubleValue()));
            driverSaw.add(wall);
          }
        }
        inPage.sort(null);
        driverSaw.sort(null);
        BenchKit.out("RESULT console-runs filter=%s total=%s rounds=%d first_page_ms_median=%d first_page_ms_max=%d "
            + "driver_wall_ms_median=%d driver_wall_ms_max=%d", query.isEmpty() ? "none" : query.substring(1),
          empty(query) ? "0 runs" : total, rounds, inPage.get(inPage.size() / 2), inPage.get(inPage.size() - 1),
          driverSaw.get(driverSaw.size() / 2), driverSaw.get(driverSaw.size() - 1));
      }
    }
    System.exit(0);
  }

  private static boolean empty(String query) {
    return query.contains("failed");
  }
}
