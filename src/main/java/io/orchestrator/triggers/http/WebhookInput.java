package io.orchestrator.triggers.http;

import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The run input of an http-trigger delivery: {@code {method, path, query, headers, body}}.
 *
 * <ul>
 *   <li>{@code query} and {@code headers}: name → value, or an array of values when the name repeats. Header
 *   names are lower-cased.</li>
 *   <li>Credentials a proxy or browser may attach ({@link #DROPPED_HEADERS}) are left out: run input is readable
 *   by everyone with access to the workspace. Signature headers stay: a MAC over a timestamped body is no secret,
 *   and {@code webhook-id} / timestamps are useful to the workflow.</li>
 *   <li>{@code body}: the parsed JSON value when the Content-Type is JSON ({@code application/json} or
 *   {@code application/*+json}) and the bytes parse; otherwise the body as a UTF-8 string ({@code ""} when
 *   empty).</li>
 * </ul>
 */
public final class WebhookInput {

  /** Lower-case names of headers never copied into a run. */
  public static final Set<String> DROPPED_HEADERS = Set.of("authorization", "proxy-authorization", "cookie");

  private WebhookInput() {
  }

  public static JsonObject of(InboundWebhook webhook) {
    return new JsonObject()
      .put("method", webhook.method())
      .put("path", webhook.path())
      .put("query", multiMap(webhook.query(), false))
      .put("headers", multiMap(webhook.headers(), true))
      .put("body", body(webhook.contentType(), webhook.body()));
  }

  /** The parsed JSON value (object, array, string, number, boolean or null) or the UTF-8 text. */
  static Object body(String contentType, byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (!isJson(contentType) || text.isBlank()) {
      return text;
    }
    try {
      return Json.decodeValue(text);
    } catch (DecodeException e) {
      return text;
    }
  }

  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String mime = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    return mime.equals("application/json") || (mime.startsWith("application/") && mime.endsWith("+json"));
  }

  private static JsonObject multiMap(MultiMap map, boolean headers) {
    JsonObject json = new JsonObject();
    for (String rawName : map.names()) {
      String name = headers ? rawName.toLowerCase(Locale.ROOT) : rawName;
      if (headers && DROPPED_HEADERS.contains(name)) {
        continue;
      }
      List<String> values = map.getAll(rawName);
      json.put(name, values.size() == 1 ? values.get(0) : new JsonArray(List.copyOf(values)));
    }
    return json;
  }
}
