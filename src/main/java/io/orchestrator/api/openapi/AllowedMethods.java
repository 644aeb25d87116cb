package io.orchestrator.api.openapi;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The methods each path serves, for the {@code Allow} header a 405 must carry (RFC 9110 §15.5.6). vertx-web writes
 * {@code Allow} only in its default 405 answer, which an error handler for 405 replaces ({@link ErrorPages}), so the
 * header is computed here from the contract's operations and the routes mounted beside them. Contract path
 * templates become patterns ({@code {param}} matches one segment).
 */
final class AllowedMethods {

  private record Served(Pattern path, HttpMethod method) {
  }

  private final List<Served> served = new ArrayList<>();

  AllowedMethods(List<OpenAPIRoute> routes) {
    for (OpenAPIRoute route : routes) {
      add(template(route.getOperation().getOpenAPIPath()), route.getOperation().getHttpMethod());
    }
  }

  /** Adds a route mounted outside the contract. */
  AllowedMethods add(Pattern path, HttpMethod method) {
    served.add(new Served(path, method));
    return this;
  }

  /** e.g. "DELETE, GET, PUT" for the request's path; empty when no route serves it. */
  String allowHeader(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    return served.stream().filter(s -> s.path().matcher(path).matches()).map(s -> s.method().name())
      .distinct().sorted().collect(Collectors.joining(", "));
  }

  private static Pattern template(String openApiPath) {
    StringBuilder regex = new StringBuilder();
    for (String part : openApiPath.split("(?=\\{)|(?<=})")) {
      regex.append(part.startsWith("{") && part.endsWith("}") ? "[^/]+" : Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }
}
