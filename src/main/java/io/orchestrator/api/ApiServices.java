package io.orchestrator.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orchestrator.api.console.DevTokens;
import io.orchestrator.auth.BearerAuthenticator;
import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.bulk.BulkService;
import io.orchestrator.definitions.OrchestrationService;
import io.orchestrator.functions.FunctionService;
import io.orchestrator.runs.RunOperations;
import io.orchestrator.runs.RunService;
import io.orchestrator.runs.RunWatchers;
import io.orchestrator.simulation.SimulationService;
import io.orchestrator.tasks.TaskService;
import io.orchestrator.triggers.events.EventService;
import io.orchestrator.triggers.http.HttpTriggerService;
import io.orchestrator.triggers.schedule.SchedulePreview;
import java.time.Clock;
import java.time.Duration;

/**
 * What the HTTP layer needs from the rest of the service; built by the composition root. {@code devTokens} is the
 * console's zero-set-up sign-in, null unless the service runs on its embedded stores.
 */
public record ApiServices(OrchestrationService orchestrations, FunctionService functions, RunService runs,
                          RunOperations runOperations, BulkService bulk,
                          TaskService tasks, EventService events,
                          BearerAuthenticator authenticator, PrometheusMeterRegistry registry,
                          StoreAvailability availability,
                          HttpTriggerService httpTriggers, SchedulePreview schedules,
                          SimulationService simulations, RunWatchers runWatchers, Duration streamHeartbeat,
                          Clock clock, DevTokens devTokens) {
}
