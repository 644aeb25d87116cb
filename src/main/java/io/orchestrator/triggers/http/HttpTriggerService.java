package io.orchestrator.triggers.http;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.TraceParent;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.OrchestrationStore;
import io.orchestrator.definitions.TriggerSecrets;
import io.orchestrator.runs.RunService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a delivery to the public http-trigger endpoint into a run (DESIGN.md §7 "http-trigger"), in this order:
 * rate limit of the path (429), the workspace's live, active orchestration with that trigger path (404, the same
 * answer whatever is missing), the signature when the trigger requires one (401), then the run. A verified
 * delivery whose provider event id was already seen within 24 h starts nothing and returns the first run.
 */
public final class HttpTriggerService {

  private static final Logger LOG = LoggerFactory.getLogger(HttpTriggerService.class);
  public static final String TRIGGER_TYPE = "http-trigger";
  /** Namespace of provider event ids among the run store's idempotency keys. */
  static final String EVENT_KEY_PREFIX = "http-trigger-event:";

  private final OrchestrationStore orchestrations;
  private final RunService runs;
  private final SignatureVerifier verifier;
  private final TriggerRateLimiter limiter;
  private final int ratePerWindow;
  private final Clock clock;

  public HttpTriggerService(OrchestrationStore orchestrations, RunService runs, SignatureVerifier verifier,
                            TriggerRateLimiter limiter, int ratePerWindow, Clock clock) {
    this.orchestrations = orchestrations;
    this.runs = runs;
    this.verifier = verifier;
    this.limiter = limiter;
    this.ratePerWindow = ratePerWindow;
    this.clock = clock;
  }

  /** What a delivery produced: the run's id, and whether it is the earlier run of a redelivered event. */
  public record Accepted(String runId, boolean duplicate) {
  }

  /**
   * Handles one delivery.
   *
   * @return the run; a failed future with {@link ApiException} rate_limited, not_found or invalid_signature when
   *     the delivery is rejected (nothing started), any other failure on infrastructure errors
   */
  public Future<Accepted> receive(InboundWebhook webhook) {
    return limiter.tryAcquire(webhook.workspace(), webhook.path(), ratePerWindow)
      .compose(allowed -> allowed ? orchestrations.findByHttpPath(webhook.workspace(), webhook.path())
        : Future.failedFuture(ApiException.rateLimited("More than " + ratePerWindow
          + " requests per second to this http-trigger")))
      .compose(found -> start(webhook, active(found)));
  }

  private Future<Accepted> start(InboundWebhook webhook, Orchestration orchestration) {
    Optional<String> eventId = verifiedEventId(webhook, orchestration.trigger());
    JsonObject metadata = new JsonObject().put("path", webhook.path());
    eventId.ifPresent(id -> metadata.put("eventId", id));
    RunService.RunRequest request = new RunService.RunRequest(WebhookInput.of(webhook), null, metadata, null,
      eventId.map(id -> EVENT_KEY_PREFIX + id).orElse(null), null)
      .withTrace(TraceParent.parse(webhook.headers().getAll("traceparent")).orElse(null),
        TraceParent.traceState(String.join(",", webhook.headers().getAll("tracestate"))));
    return runs.start(orchestration, TRIGGER_TYPE, request).map(started -> {
      LOG.debug("request {} http-trigger {}{} {} run {}", webhook.requestId(), webhook.workspace(), webhook.path(),
        started.replayed() ? "redelivered, already" : "started", started.run().id());
      return new Accepted(started.run().id(), started.replayed());
    });
  }

  private static Orchestration active(Optional<Orchestration> found) {
    if (found.isEmpty() || !found.get().active()) {
      throw ApiException.notFound("No active http-trigger at this path");
    }
    return found.get();
  }

  /**
   * Checks the signature when the trigger asks for one; the provider's event id is trusted only then, so an
   * unsigned caller can never claim (and so suppress) an id a real delivery will carry later.
   */
  private Optional<String> verifiedEventId(InboundWebhook webhook, JsonObject trigger) {
    if (!Boolean.TRUE.equals(trigger.getBoolean("validateSignature"))) {
      return Optional.empty();
    }
    SignatureScheme scheme = SignatureScheme.fromWire(trigger.getString("signatureScheme", "stripe"))
      .orElse(SignatureScheme.STRIPE);
    Instant now = clock.instant();
    VerificationResult result = verifier.verify(scheme, webhook::header, webhook.body(),
      TriggerSecrets.activeSecrets(trigger, now), now.getEpochSecond());
    if (!result.valid()) {
      LOG.debug("request {} http-trigger {}{} rejected: {}", webhook.requestId(), webhook.workspace(),
        webhook.path(), result.reason());
      throw ApiException.invalidSignature();
    }
    LOG.debug("request {} http-trigger {}{} signature ok: {}", webhook.requestId(), webhook.workspace(),
      webhook.path(), result.reason());
    return ProviderEventIds.extract(scheme, webhook::header, webhook.body());
  }
}
