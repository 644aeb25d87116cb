package io.orchestrator.api;

import io.orchestrator.engine.Simulation;
import io.orchestrator.simulation.SimulationService;
import io.vertx.ext.web.RoutingContext;

/** Handlers of the simulations; method names are the operationIds of openapi.yaml. */
final class SimulationHandlers {

  private final SimulationService service;

  SimulationHandlers(SimulationService service) {
    this.service = service;
  }

  void simulateOrchestration(RoutingContext ctx) {
    Responses.reply(ctx, service.saved(Requests.workspace(ctx), ctx.pathParam("orchestrationId"),
      Requests.body(ctx)).map(Simulation::toJson), 200);
  }

  void simulateDefinition(RoutingContext ctx) {
    Responses.reply(ctx, service.unsaved(Requests.workspace(ctx), Requests.body(ctx)).map(Simulation::toJson), 200);
  }
}
