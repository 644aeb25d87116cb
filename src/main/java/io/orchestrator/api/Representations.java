package io.orchestrator.api;

import io.orchestrator.common.Page;
import io.orchestrator.common.SecretMask;
import io.orchestrator.common.Timestamps;
import io.orchestrator.definitions.Orchestration;
import io.orchestrator.definitions.TriggerSecrets;
import io.orchestrator.functions.FunctionDef;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/** The reference's JSON shapes, built from records; secrets are masked unless a create/update reveals them. */
final class Representations {

  private Representations() {
  }

  static JsonObject orchestration(Orchestration o, boolean withSteps, boolean revealSecret) {
    JsonObject json = new JsonObject().put("id", o.id()).put("slug", o.slug()).put("name", o.name())
      .put("description", o.description()).put("version", o.version()).put("isActive", o.active())
      .put("trigger", TriggerSecrets.publicView(o.trigger(), revealSecret));
    if (withSteps) {
      json.put("steps", o.steps());
    }
    return json.put("createdAt", Timestamps.format(o.createdAt())).put("updatedAt", Timestamps.format(o.updatedAt()))
      .put("createdBy", o.createdBy()).put("updatedBy", o.updatedBy());
  }

  static JsonObject function(FunctionDef f, boolean revealSecret) {
    JsonObject headers = new JsonObject();
    f.headers().fieldNames().forEach(name -> headers.put(name, SecretMask.MASK));
    return new JsonObject().put("id", f.id()).put("name", f.name()).put("description", f.description())
      .put("runtime", f.runtime()).put("url", f.url()).put("queue", f.queue()).put("headers", headers)
      .put("timeoutMs", f.timeoutMs())
      .put("signingSecret", revealSecret ? f.signingSecret() : SecretMask.signingSecret(f.signingSecret()))
      .put("createdAt", Timestamps.format(f.createdAt())).put("updatedAt", Timestamps.format(f.updatedAt()))
      .put("createdBy", f.createdBy()).put("updatedBy", f.updatedBy());
  }

  static <T> JsonObject page(Page<T> page, Function<T, JsonObject> item) {
    JsonArray data = new JsonArray();
    page.items().forEach(i -> data.add(item.apply(i)));
    return new JsonObject().put("data", data).put("meta", new JsonObject().put("total", page.total())
      .put("page", page.page()).put("pageSize", page.pageSize()));
  }
}
