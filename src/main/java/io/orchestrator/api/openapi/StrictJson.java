package io.orchestrator.api.openapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;

/**
 * RFC 8259 well-formedness of a request body. Vert.x's JSON codec, which the request validation parses with
 * ({@code Json.decodeValue} in vertx-openapi's {@code ContentAnalyser}), accepts C-style comments
 * ({@code {/* note *&#47; "name": "x"}}); its factory is shared and not configurable from outside,
 * so bodies are checked here first with a factory at Jackson's strict defaults. A token scan, no tree is built.
 */
final class StrictJson {

  private static final JsonFactory STRICT = JsonFactory.builder().build();

  private StrictJson() {
  }

  static boolean wellFormed(Buffer body) {
    try (JsonParser parser = STRICT.createParser(body.getBytes())) {
      while (parser.nextToken() != null) {
        parser.skipChildren();
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
