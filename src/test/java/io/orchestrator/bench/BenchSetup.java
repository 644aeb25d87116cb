package io.orchestrator.bench;

import io.orchestrator.bench.BenchKit.Api;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.Map;

/**
 * Creates a one-step delay orchestration (the run waits {@code delayMs}, then completes) and prints
 * {@code ORCH_ID=<id>}: what the shell benchmarks trigger with wrk or {@link TriggerLoad}.
 *
 * <p>{@code --port=8080 --token=… --workspace=… [--slug=bench-delay] [--delayMs=3600000]}
 */
public final class BenchSetup {

  public static void main(String[] argv) {
    Map<String, String> args = BenchKit.args(argv);
    Vertx vertx = BenchKit.vertx();
    Api api = new Api(vertx, List.of(Integer.parseInt(BenchKit.need(args, "port"))), BenchKit.need(args, "workspace"),
      BenchKit.need(args, "token"), 4);
    long delayMs = Long.parseLong(args.getOrDefault("delayMs", "3600000"));
    String id = api.createOrchestration(args.getOrDefault("slug", "bench-delay"),
      new JsonArray().add(BenchKit.delay("wait", delayMs, null)));
    System.out.println("ORCH_ID=" + id);
    System.exit(0);
  }
}
