package io.orchestrator.api;

import io.orchestrator.triggers.schedule.FirePreview;
import io.orchestrator.triggers.schedule.SchedulePreview;
import io.vertx.ext.web.RoutingContext;

/** Handlers of the schedule previews; method names are the operationIds of openapi.yaml. */
final class ScheduleHandlers {

  private final SchedulePreview preview;

  ScheduleHandlers(SchedulePreview preview) {
    this.preview = preview;
  }

  void getNextFires(RoutingContext ctx) {
    int count = Requests.integer(Requests.validated(ctx), "count", SchedulePreview.DEFAULT_COUNT);
    Responses.reply(ctx, preview.saved(Requests.workspace(ctx), ctx.pathParam("orchestrationId"), count)
      .map(FirePreview::toJson), 200);
  }

  void previewSchedule(RoutingContext ctx) {
    Responses.reply(ctx, preview.unsaved(Requests.body(ctx)).map(FirePreview::toJson), 200);
  }
}
