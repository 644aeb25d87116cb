package io.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.orchestrator.generated.client.ApiClient;
import io.orchestrator.generated.client.ApiException;
import io.orchestrator.generated.client.api.DefaultApi;
import io.orchestrator.generated.client.model.ApiError;
import io.orchestrator.generated.client.model.Function;
import io.orchestrator.generated.client.model.FunctionWrite;
import io.orchestrator.generated.client.model.ListRuns200Response;
import io.orchestrator.generated.client.model.Orchestration;
import io.orchestrator.generated.client.model.OrchestrationCreate;
import io.orchestrator.generated.client.model.RunDetails;
import io.orchestrator.generated.client.model.Step;
import io.orchestrator.generated.client.model.Trigger;
import io.orchestrator.generated.client.model.TriggerRequest;
import io.orchestrator.generated.client.model.TriggeredRun;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Java client that openapi-generator makes from openapi.yaml at build time (package
 * {@code io.orchestrator.generated.client}, java/native: java.net.http and Jackson) calls the running service: the
 * contract describes requests the service accepts, answers the client can read, and errors in the documented shape.
 */
@DisplayName("The client generated from openapi.yaml talks to the service")
@SharedApp.Config
class GeneratedClientIT {

  private static TestApp app;

  @BeforeAll
  static void start(TestApp shared) {
    app = shared;
  }

  /** A client of the generated API for {@code workspace}, its bearer token set on every request. */
  private static DefaultApi api(String workspace) {
    String token = app.token("user-" + workspace, workspace);
    ApiClient client = new ApiClient()
      .setScheme("http").setHost("127.0.0.1").setPort(app.orchestrator.httpPort())
      .setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
    return new DefaultApi(client);
  }

  @Test
  @DisplayName("creates a function and an orchestration, triggers a run, reads it and lists it")
  void createTriggerReadAndList() throws ApiException {
    String workspace = TestApp.randomWorkspace();
    DefaultApi api = api(workspace);

    // a worker function: the run waits for a worker instead of calling out
    Function function = api.createFunction(workspace, new FunctionWrite().name("adder")
      .runtime(FunctionWrite.RuntimeEnum.WORKER).queue("sums"));
    assertThat(function.getId()).startsWith("func_");
    assertThat(function.getSigningSecret()).startsWith("whsec_");

    Orchestration orchestration = api.createOrchestration(workspace, new OrchestrationCreate().slug("adds")
      .name("Adds").trigger(new Trigger().type(Trigger.TypeEnum.ON_DEMAND))
      .steps(List.of(new Step().id("add").type(Step.TypeEnum.COMPUTE).functionId(function.getId()))));
    assertThat(orchestration.getId()).startsWith("orch_");
    assertThat(orchestration.getVersion()).isEqualTo(1);
    assertThat(orchestration.getIsActive()).isTrue();

    TriggeredRun run = api.triggerOrchestration(workspace, "adds", null, null, null,
      new TriggerRequest().input(Map.of("a", 1, "b", 2)).correlationId("corr-generated"));
    assertThat(run.getId()).startsWith("run_");
    assertThat(run.getOrchestrationId()).isEqualTo(orchestration.getId());
    assertThat(run.getOrchestrationVersion()).isEqualTo(1);
    assertThat(run.getStartedAt()).isNotNull();

    RunDetails details = api.getRun(workspace, orchestration.getId(), run.getId());
    assertThat(details.getId()).isEqualTo(run.getId());
    assertThat(details.getCorrelationId()).isEqualTo("corr-generated");
    assertThat(details.getInput()).isEqualTo(Map.of("a", 1, "b", 2));
    assertThat(details.getStatus()).isNotNull();

    ListRuns200Response runs = api.listRuns(workspace, "adds", 1, 20, null, null, null, null);
    assertThat(runs.getMeta().getTotal()).isEqualTo(1);
    assertThat(runs.getData()).singleElement().satisfies(summary -> {
      assertThat(summary.getId()).isEqualTo(run.getId());
      assertThat(summary.getCorrelationId()).isEqualTo("corr-generated");
    });
  }

  @Test
  @DisplayName("an unknown run is the client's ApiException 404 with the not_found error body")
  void notFound() throws JsonProcessingException {
    String workspace = TestApp.randomWorkspace();
    DefaultApi api = api(workspace);

    ApiException e = catchThrowableOfType(ApiException.class,
      () -> api.getRun(workspace, "no-such-orchestration", "run_nothing"));

    assertThat(e.getCode()).isEqualTo(404);
    ApiError error = error(e);
    assertThat(error.getError()).isEqualTo(ApiError.ErrorEnum.NOT_FOUND);
    assertThat(error.getMessage()).isNotBlank();
  }

  @Test
  @DisplayName("an invalid request is the client's ApiException 400 with validation_error details")
  void validationError() throws JsonProcessingException {
    String workspace = TestApp.randomWorkspace();
    DefaultApi api = api(workspace);

    ApiException e = catchThrowableOfType(ApiException.class, () -> api.createFunction(workspace,
      new FunctionWrite().name("no-queue").runtime(FunctionWrite.RuntimeEnum.WORKER)));

    assertThat(e.getCode()).isEqualTo(400);
    ApiError error = error(e);
    assertThat(error.getError()).isEqualTo(ApiError.ErrorEnum.VALIDATION_ERROR);
    assertThat(error.getDetails()).anySatisfy(detail -> assertThat(detail.getField()).isEqualTo("queue"));
  }

  /** The error body, read with the generated client's ObjectMapper into the contract's Error schema. */
  private static ApiError error(ApiException e) throws JsonProcessingException {
    return ApiClient.createDefaultObjectMapper().readValue(e.getResponseBody(), ApiError.class);
  }
}
