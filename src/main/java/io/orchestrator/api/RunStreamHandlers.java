package io.orchestrator.api;

import io.orchestrator.api.openapi.AuthenticationFirst;
import io.orchestrator.common.ApiException;
import io.orchestrator.runs.Run;
import io.orchestrator.runs.RunJson;
import io.orchestrator.runs.RunService;
import io.orchestrator.runs.RunWatchers;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Live progress over Server-Sent Events (DESIGN.md §9). One run: every event is its whole Get Run Details with the
 * run's event sequence as {@code id:}, the first one its current state (unless {@code Last-Event-ID} says the client
 * has it), the last one its terminal state. An orchestration: the List Runs item of each of its runs as it changes.
 */
final class RunStreamHandlers {

  private final RunService runs;
  private final RunWatchers watchers;
  private final Duration heartbeat;
  private final Clock clock;

  RunStreamHandlers(RunService runs, RunWatchers watchers, Duration heartbeat, Clock clock) {
    this.runs = runs;
    this.watchers = watchers;
    this.heartbeat = heartbeat;
    this.clock = clock;
  }

  void streamRun(RoutingContext ctx) {
    String workspace = Requests.workspace(ctx);
    String runId = ctx.pathParam("runId");
    long lastEventId = lastEventId(ctx);
    runs.get(workspace, ctx.pathParam("orchestrationId"), runId).onFailure(ctx::fail).onSuccess(found -> {
      RunProgress progress = new RunProgress(lastEventId);
      Optional<Runnable> watch = watchers.watchRun(runId, progress::changed);
      if (watch.isEmpty()) {
        ctx.fail(tooManyStreams());
        return;
      }
      progress.start(open(ctx), watch.get());
      // read again once changes are heard: a change between the first read and the watch is not missed
      watchers.listening().compose(v -> runs.get(workspace, ctx.pathParam("orchestrationId"), runId))
        .onSuccess(progress::first);
    });
  }

  void streamRuns(RoutingContext ctx) {
    String workspace = Requests.workspace(ctx);
    runs.liveOrchestrationId(workspace, ctx.pathParam("orchestrationId")).onFailure(ctx::fail).onSuccess(id -> {
      EventStream[] stream = new EventStream[1];
      Optional<Runnable> watch = watchers.watchOrchestration(workspace, id, run -> {
        EventStream open = stream[0];
        if (open != null) {
          open.onContext(() -> open.send(null, "run", RunJson.summary(run).encode()));
        }
      });
      if (watch.isEmpty()) {
        ctx.fail(tooManyStreams());
        return;
      }
      stream[0] = open(ctx);
      stream[0].onClose(watch.get());
      watchers.listening();
    });
  }

  private EventStream open(RoutingContext ctx) {
    return EventStream.open(ctx.vertx(), ctx.response(), heartbeat,
      AuthenticationFirst.principal(ctx).expiresAt(), clock);
  }

  private static ApiException tooManyStreams() {
    return ApiException.unavailable("This instance has its maximum of open streams (ORCH_MAX_STREAMS); retry later");
  }

  /** {@code Last-Event-ID}: the sequence the client has; a missing or non-numeric one counts as none. */
  private static long lastEventId(RoutingContext ctx) {
    String header = ctx.request().getHeader("Last-Event-ID");
    if (header == null) {
      return -1;
    }
    try {
      return Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** One run's stream: sends each state newer than the last one sent, in order, and ends after a terminal one. */
  private final class RunProgress {

    private long lastSent;
    private volatile EventStream stream;
    private Future<Void> writing = Future.succeededFuture();

    RunProgress(long lastEventId) {
      this.lastSent = lastEventId;
    }

    void start(EventStream stream, Runnable unwatch) {
      this.stream = stream;
      stream.onClose(unwatch);
    }

    /** A watched change, from any thread. */
    void changed(Run run) {
      EventStream open = stream;
      if (open != null) {
        open.onContext(() -> offer(run));
      }
    }

    /** The state read once watching: sent unless the client has it; a finished run's stream ends either way. */
    void first(Run run) {
      offer(run);
      if (run.status().isFinished()) {
        writing.onComplete(v -> stream.close());
      }
    }

    /** On the stream's context: renders the run (the timeline needs its version's step types) and sends it. */
    void offer(Run run) {
      if (stream == null || stream.isClosed() || run.seq() <= lastSent) {
        return;
      }
      writing = writing.compose(v -> runs.details(run)).map(details -> {
        if (run.seq() > lastSent && !stream.isClosed()) {
          lastSent = run.seq();
          stream.send(run.seq(), "run", details.encode());
          if (run.status().isFinished()) {
            stream.close();
          }
        }
        return (Void) null;
      }).otherwiseEmpty();
    }
  }

}
