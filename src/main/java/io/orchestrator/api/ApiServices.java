package io.orchestrator.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orchestrator.auth.BearerAuthenticator;
import io.orchestrator.definitions.OrchestrationService;
import io.orchestrator.functions.FunctionService;
import io.orchestrator.runs.RunService;
import io.orchestrator.tasks.TaskService;
import io.orchestrator.triggers.events.EventService;
import io.orchestrator.triggers.http.HttpTriggerService;
import io.vertx.core.Future;
import java.util.function.Supplier;

/** What the HTTP layer needs from the rest of the service; built by the composition root. */
public record ApiServices(OrchestrationService orchestrations, FunctionService functions, RunService runs,
                          TaskService tasks, EventService events,
                          BearerAuthenticator authenticator, PrometheusMeterRegistry registry,
                          Supplier<Future<Void>> postgresPing, Supplier<Future<Void>> redisPing,
                          HttpTriggerService httpTriggers) {
}
