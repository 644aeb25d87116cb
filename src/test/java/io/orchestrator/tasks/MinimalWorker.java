package io.orchestrator.tasks;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/** The short worker shown in the README: long-polls queue "sums" and completes each task with the sum of its input. */
public final class MinimalWorker {

  private final Vertx vertx;
  private final WebClient client;
  private final String base;
  private final String token;

  MinimalWorker(Vertx vertx, String baseUrl, String workspace, String token) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx);
    this.base = baseUrl + "/orchestration/api/v1/workspaces/" + workspace + "/worker-tasks";
    this.token = token;
  }

  public static void main(String[] args) {
    new MinimalWorker(Vertx.vertx(), args[0], args[1], args[2]).poll();
  }

  void poll() {
    client.postAbs(base + "/poll").bearerTokenAuthentication(token)
      .sendJsonObject(new JsonObject().put("queue", "sums").put("max", 10).put("waitMs", 20_000))
      .onSuccess(response -> {
        if (response.statusCode() != 200) {
          vertx.setTimer(1_000, id -> poll());
          return;
        }
        response.bodyAsJsonObject().getJsonArray("tasks").forEach(task -> handle((JsonObject) task));
        poll();
      })
      .onFailure(e -> vertx.setTimer(1_000, id -> poll()));
  }

  private void handle(JsonObject task) {
    JsonArray numbers = task.getJsonObject("input").getJsonArray("numbers", new JsonArray());
    double sum = numbers.stream().mapToDouble(n -> ((Number) n).doubleValue()).sum();
    client.postAbs(base + "/" + task.getString("taskId") + "/complete").bearerTokenAuthentication(token)
      .sendJsonObject(new JsonObject().put("output", new JsonObject().put("sum", sum)))
      .onSuccess(response -> {
        if (response.statusCode() == 409) {
          System.err.println("task " + task.getString("taskId") + " is no longer ours; dropped");
        }
      });
  }
}
