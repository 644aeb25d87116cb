package io.orchestrator.functions;

import io.orchestrator.common.SecretMask;
import io.vertx.core.json.JsonObject;

/** The writable part of a function, as validated from a create or update body. */
public record FunctionDraft(String name, String description, String runtime, String url, String queue,
                            JsonObject headers, Integer timeoutMs) {

  public static FunctionDraft from(JsonObject body) {
    String runtime = body.getString("runtime", "http");
    boolean worker = "worker".equals(runtime);
    return new FunctionDraft(body.getString("name").trim(), body.getString("description"), runtime,
      worker ? null : body.getString("url"), worker ? body.getString("queue") : null,
      body.getJsonObject("headers", new JsonObject()).copy(), body.getInteger("timeoutMs"));
  }

  /** Header values sent back masked keep their stored value, so a read-modify-write never erases a secret. */
  public FunctionDraft keepingMaskedHeaders(JsonObject stored) {
    JsonObject merged = new JsonObject();
    headers.forEach(e -> merged.put(e.getKey(), SecretMask.isMask(e.getValue()) && stored.containsKey(e.getKey())
      ? stored.getValue(e.getKey()) : e.getValue()));
    return new FunctionDraft(name, description, runtime, url, queue, merged, timeoutMs);
  }
}
