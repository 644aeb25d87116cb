package io.orchestrator;

import io.orchestrator.config.AppConfig;
import io.orchestrator.config.ConfigException;
import io.orchestrator.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * {@code healthcheck}: asks {@code GET /health/live} of the instance configured by the same environment (its
 * {@code ORCH_HTTP_PORT}, and {@code ORCH_HTTP_HOST} unless that is a wildcard address) and exits 0 on 200, 1 on
 * anything else or no answer within 2 s. The container image's HEALTHCHECK, which then needs no curl or wget.
 * Every instance serves it, whatever its roles.
 */
final class HealthCheckCommand {

  static final Duration TIMEOUT = Duration.ofSeconds(2);

  private HealthCheckCommand() {
  }

  static int run() {
    return run(System.getenv(), System.err, TIMEOUT);
  }

  /** The check against an explicit environment; problems go to {@code err}; returns the process exit code. */
  static int run(Map<String, String> env, PrintStream err, Duration timeout) {
    AppConfig.Http http;
    try {
      http = ConfigLoader.http(env);
    } catch (ConfigException e) {
      err.println("healthcheck: configuration error: " + e.getMessage());
      return 1;
    }
    if (http.port() == 0) {
      err.println("healthcheck: ORCH_HTTP_PORT=0 (any free port): no known port to check");
      return 1;
    }
    URI uri = URI.create("http://" + host(http.host()) + ":" + http.port() + "/health/live");
    return get(uri, err, timeout);
  }

  private static int get(URI uri, PrintStream err, Duration timeout) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    try {
      HttpResponse<Void> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
        HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 200) {
        return 0;
      }
      err.println("healthcheck: " + uri + " answered " + response.statusCode());
      return 1;
    } catch (IOException e) {
      err.println("healthcheck: " + uri + ": " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("healthcheck: interrupted");
      return 1;
    }
  }

  /** Where to reach a server bound to {@code bind}: loopback for a wildcard address, else that address. */
  private static String host(String bind) {
    if (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
      return "127.0.0.1";
    }
    return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
  }
}
