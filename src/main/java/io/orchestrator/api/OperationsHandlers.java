package io.orchestrator.api;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orchestrator.availability.StoreAvailability;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Health and metrics: public, unauthenticated endpoints, served by every instance whatever its roles. */
final class OperationsHandlers {

  private final StoreAvailability availability;
  private final PrometheusMeterRegistry registry;

  OperationsHandlers(StoreAvailability availability, PrometheusMeterRegistry registry) {
    this.availability = availability;
    this.registry = registry;
  }

  void getLiveness(RoutingContext ctx) {
    Responses.json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  /**
   * 200 when every store answers (within the store timeout) and start-up is over; else 503 naming each store's
   * state ({@code UP} / {@code DOWN}) and whether start-up is still going on.
   */
  void getReadiness(RoutingContext ctx) {
    availability.check().onSuccess(stores -> {
      boolean up = availability.started() && !stores.containsValue(false);
      JsonObject checks = new JsonObject();
      stores.forEach((store, answered) -> checks.put(checkName(store), answered ? "UP" : "DOWN"));
      checks.put("startup", availability.started() ? "DONE" : "IN_PROGRESS");
      if (!up) {
        ctx.response().putHeader("Retry-After", ErrorRenderer.RETRY_AFTER_SECONDS);
      }
      Responses.json(ctx, up ? 200 : 503, new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks));
    });
  }

  /** "PostgreSQL" → "postgres", "Redis" → "redis": the check names of the readiness body. */
  private static String checkName(String store) {
    return store.equals("PostgreSQL") ? "postgres" : store.toLowerCase(java.util.Locale.ROOT);
  }

  void getMetrics(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape());
  }
}
