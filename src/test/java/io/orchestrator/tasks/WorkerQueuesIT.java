package io.orchestrator.tasks;

import static io.orchestrator.tasks.WorkerTaskSupport.assertAccepted;
import static io.orchestrator.tasks.WorkerTaskSupport.awaitQueued;
import static io.orchestrator.tasks.WorkerTaskSupport.complete;
import static io.orchestrator.tasks.WorkerTaskSupport.compute;
import static io.orchestrator.tasks.WorkerTaskSupport.orchestration;
import static io.orchestrator.tasks.WorkerTaskSupport.poll;
import static io.orchestrator.tasks.WorkerTaskSupport.pollOne;
import static io.orchestrator.tasks.WorkerTaskSupport.sleep;
import static io.orchestrator.tasks.WorkerTaskSupport.trigger;
import static io.orchestrator.tasks.WorkerTaskSupport.workerFunction;
import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.ApiClient.Reply;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * GET /worker-queues end to end: tasks queued by real runs of worker functions, counted while they wait, not while
 * leased; ages from first enqueue; one workspace's queues only. Leases are 2 s so an unreported task comes back.
 */
class WorkerQueuesIT {

  private static final long LEASE_MS = 2_000;

  private static TestApp app;

  private ApiClient client;
  private String queue;
  private int orchestrations;

  @BeforeAll
  static void start() {
    app = TestApp.start(Map.of("ORCH_TASK_LEASE", LEASE_MS / 1000 + "s"));
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @BeforeEach
  void newWorkspace() {
    client = app.client(TestApp.randomWorkspace());
    queue = "q-" + Long.toHexString(System.nanoTime());
  }

  /** A one-step orchestration on a worker function of {@code queueName}; returns its id. */
  private String workerOrchestration(ApiClient in, String queueName) {
    String function = workerFunction(in, queueName);
    return orchestration(in, "on-" + ++orchestrations, compute("work", function, null));
  }

  /** Starts {@code runs} runs and waits until their tasks wait on the queue. */
  private static void enqueue(ApiClient in, String orchestration, String queueName, int runs) {
    for (int i = 0; i < runs; i++) {
      trigger(in, orchestration);
    }
    awaitQueued(app, in.workspace, queueName, runs);
  }

  private static JsonArray queues(ApiClient in) {
    Reply reply = in.get("/worker-queues");
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(reply.json().fieldNames()).containsExactly("data");
    return reply.json().getJsonArray("data");
  }

  private static JsonObject only(JsonArray data) {
    assertThat(data).hasSize(1);
    return data.getJsonObject(0);
  }

  @Test
  @DisplayName("a workspace whose queues never held a task lists none, even with a worker function")
  void noQueues() {
    assertThat(queues(client)).isEmpty();
    workerFunction(client, queue);
    assertThat(queues(client)).isEmpty();
  }

  @Test
  @DisplayName("depth counts the waiting tasks; oldestAgeMs is the age of the first one queued")
  void depthAndAge() {
    String orch = workerOrchestration(client, queue);
    long before = System.currentTimeMillis();
    enqueue(client, orch, queue, 3);
    sleep(300);

    JsonObject stat = only(queues(client));
    long elapsed = System.currentTimeMillis() - before;

    assertThat(stat.fieldNames()).containsExactlyInAnyOrder("queue", "depth", "oldestAgeMs");
    assertThat(stat.getString("queue")).isEqualTo(queue);
    assertThat(stat.getLong("depth")).isEqualTo(3);
    assertThat(stat.getLong("oldestAgeMs")).isBetween(300L, elapsed);
  }

  @Test
  @DisplayName("leased tasks are not counted; a drained queue stays listed with depth 0 and oldestAgeMs 0")
  void leasedAndDrained() {
    String orch = workerOrchestration(client, queue);
    enqueue(client, orch, queue, 2);

    JsonObject first = pollOne(client, queue);
    assertThat(only(queues(client)).getLong("depth")).isEqualTo(1);
    List<JsonObject> rest = poll(client, queue, 10, 0);
    assertThat(rest).hasSize(1);

    assertThat(only(queues(client))).isEqualTo(new JsonObject().put("queue", queue).put("depth", 0)
      .put("oldestAgeMs", 0));
    assertAccepted(complete(client, first.getString("taskId"), new JsonObject()), first.getString("taskId"));
    assertAccepted(complete(client, rest.get(0).getString("taskId"), new JsonObject()),
      rest.get(0).getString("taskId"));
    assertThat(only(queues(client)).getLong("depth")).isZero();
  }

  @Test
  @DisplayName("a task back on its queue after its lease expired is counted again and keeps its age")
  void requeuedKeepsAge() {
    String orch = workerOrchestration(client, queue);
    long before = System.currentTimeMillis();
    enqueue(client, orch, queue, 1);
    pollOne(client, queue);
    assertThat(only(queues(client)).getLong("depth")).isZero();

    awaitQueued(app, client.workspace, queue, 1);
    JsonObject stat = only(queues(client));

    assertThat(stat.getLong("depth")).isEqualTo(1);
    assertThat(stat.getLong("oldestAgeMs")).isBetween(LEASE_MS, System.currentTimeMillis() - before);
  }

  @Test
  @DisplayName("several queues are listed by name, each with its own depth")
  void severalQueues() {
    String beta = "b-" + queue;
    String alpha = "a-" + queue;
    enqueue(client, workerOrchestration(client, beta), beta, 2);
    enqueue(client, workerOrchestration(client, alpha), alpha, 1);

    JsonArray data = queues(client);

    assertThat(data).hasSize(2);
    assertThat(data.getJsonObject(0).getString("queue")).isEqualTo(alpha);
    assertThat(data.getJsonObject(0).getLong("depth")).isEqualTo(1);
    assertThat(data.getJsonObject(1).getString("queue")).isEqualTo(beta);
    assertThat(data.getJsonObject(1).getLong("depth")).isEqualTo(2);
  }

  @Test
  @DisplayName("each workspace sees only its own queues, also under the same queue name; a token without it 403")
  void otherWorkspaces() {
    ApiClient other = app.client(client.workspace + "-eu");
    enqueue(client, workerOrchestration(client, queue), queue, 1);
    enqueue(other, workerOrchestration(other, queue), queue, 3);

    assertThat(only(queues(client)).getLong("depth")).isEqualTo(1);
    assertThat(only(queues(other)).getLong("depth")).isEqualTo(3);
    assertThat(queues(app.client(TestApp.randomWorkspace()))).isEmpty();

    Reply forbidden = client.withToken(app.token("outsider", other.workspace)).get("/worker-queues");
    assertThat(forbidden.status()).as(forbidden.body()).isEqualTo(403);
    assertThat(forbidden.json().getString("error")).isEqualTo("forbidden");
  }
}
