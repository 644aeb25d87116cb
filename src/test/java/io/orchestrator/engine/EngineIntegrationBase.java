package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.createFunction;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.TestApp;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * One service and one real HTTP function server per test class, a fresh workspace per test; functions get their
 * own path on the server, named after the workspace so tests never share one. A class that needs configuration
 * overrides hides {@link #startServers()} with its own {@code @BeforeAll static void startServers()} calling
 * {@link #startServers(Map)} (JUnit runs the hiding method instead of this one).
 */
abstract class EngineIntegrationBase {

  static TestApp app;
  static FunctionServer functions;

  ApiClient client;
  String workspace;

  @BeforeAll
  static void startServers() {
    startServers(Map.of());
  }

  /** Starts the function server and the service with {@code overrides} of its configuration. */
  static void startServers(Map<String, String> overrides) {
    functions = FunctionServer.start();
    // no scheduler: the active schedules other tests left in the shared database must not start runs in this
    // app, whose meters and run lists the tests read
    Map<String, String> env = new HashMap<>(Map.of("ORCH_ROLES", "api,worker"));
    env.putAll(overrides);
    app = TestApp.start(env);
  }

  @AfterAll
  static void stopServers() {
    if (app != null) {
      app.close();
    }
    if (functions != null) {
      functions.close();
    }
  }

  @BeforeEach
  void newWorkspace() {
    workspace = TestApp.randomWorkspace();
    client = app.client(workspace);
  }

  /** The function server path of function {@code name} in this test's workspace. */
  String fn(String name) {
    return workspace + "-" + name;
  }

  /** Registers function {@code name} at its own path of the function server; returns its id. */
  String function(String name) {
    return createFunction(client, name, functions.url(fn(name))).getString("id");
  }
}
