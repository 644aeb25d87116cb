package io.orchestrator.engine;

import static io.orchestrator.engine.RunTestSupport.createFunction;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.FunctionServer;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The service ({@link SharedApp}: one for every engine class configured alike) and one real HTTP function server
 * per test class, a fresh workspace per test; functions get their own path on the server, named after the
 * workspace so tests never share one. A class that needs configuration overrides adds its own
 * {@code @SharedApp.Config(value = ..., own = true)} (added to this one's). No scheduler: the active schedules other
 * tests left in the shared database must not start runs in this app, whose meters and run lists the tests read.
 */
@SharedApp.Config("ORCH_ROLES=api,worker")
abstract class EngineIntegrationBase {

  static TestApp app;
  static FunctionServer functions;

  ApiClient client;
  String workspace;

  @BeforeAll
  static void startServers(TestApp shared) {
    app = shared;
    functions = FunctionServer.start();
  }

  @AfterAll
  static void stopServers() {
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
