package io.orchestrator.api;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.Test;

class ProbeScratchIT {
  @Test
  void probe() {
    try (TestApp app = TestApp.start()) {
      ApiClient c = app.client(TestApp.randomWorkspace());
      String fn = ApiTestSupport.createFunction(c, "fn");
      String base = ApiTestSupport.simpleOrchestration("SLUG", fn).encode();
      String[][] cases = {
        {"/orchestrations", base.replace("\"Name of SLUG\"", "\"a\\u0000b\"").replace("SLUG", "p1")},
        {"/orchestrations", base.replace("\"Name of SLUG\"", "\"\\ud800\"").replace("SLUG", "p2")},
        {"/orchestrations", base.replace("\"type\":\"compute\"", "\"type\":\"compute\",\"x\":\"\\u0000\"").replace("SLUG", "p3")},
        {"/orchestrations", base.replace("\"type\":\"compute\"", "\"type\":\"compute\",\"x\":1e309").replace("SLUG", "p4")},
        {"/orchestrations", base.replace("\"type\":\"compute\"", "\"type\":\"compute\",\"x\":\"\\ud800\"").replace("SLUG", "p5")},
        {"/orchestrations", base.replace("\"on-demand\"", "\"on-demand\",\"x\":\"\\u0000\"").replace("SLUG", "p6")},
        {"/orchestrations", base.replace("\"type\":\"compute\"", "\"type\":\"compute\",\"x\":" + "[".repeat(990) + "]".repeat(990)).replace("SLUG", "p7")},
        {"/orchestrations", base.replace("\"type\":\"compute\"", "\"type\":\"compute\",\"x\":1E+999999999").replace("SLUG", "p8")},
        {"/orchestrations", base.replace("\"type\":\"compute\"", "\"type\":\"compute\",\"x\":123456789012345678901234567890").replace("SLUG", "p9")},
        {"/orchestrations", base.replace("\"Name of SLUG\"", "\"a\\u0000b\"").replace("SLUG", "p1").replace("\"slug\":\"p1\"", "\"slug\":\"p10\",\"description\":\"\\u0000\"")},
        {"/functions", "{\"name\":\"a\\u0000b\",\"url\":\"https://x.example.com/\"}"},
        {"/functions", "{\"name\":\"n\",\"url\":\"https://x.example.com/\",\"headers\":{\"X-A\":\"\\ud800\"}}"},
        {"/functions", "{\"name\":\"n\",\"url\":\"https://x.example.com/\",\"description\":\"\\u0000\"}"},
        {"/functions", "{\"name\":\"n\",\"url\":\"https://x.example.com/\\u0000\"}"},
        {"/functions", "{\"name\":\"n\",\"runtime\":\"worker\",\"queue\":\"q\",\"url\":\"https://x.example.com/\\u0000\"}"},
        {"/functions", "{\"name\":\"n\",\"url\":\"https://x.example.com/\",\"timeoutMs\":1e309}"},
        {"/functions", "{\"name\":\"n\",\"url\":\"https://x.example.com/\",\"timeoutMs\":1000.0}"},
        {"/functions", "{\"name\":\"n\",\"url\":\"https://x.example.com/\",\"headers\":{\"\\u0000\":\"v\"}}"},
      };
      for (String[] k : cases) {
        Reply r = c.send(HttpMethod.POST, k[0], Buffer.buffer(k[1]), MultiMap.caseInsensitiveMultiMap());
        System.out.println("PROBE " + k[1].substring(0, Math.min(120, k[1].length())) + "\n   → " + r.status() + " " + r.body());
      }
      System.out.println("PROBE list " + c.get("/orchestrations").body().substring(0, 300));
      System.out.println("PROBE list " + c.get("/functions").body());
    }
  }
}
