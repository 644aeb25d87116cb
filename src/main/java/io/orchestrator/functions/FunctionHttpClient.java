package io.orchestrator.functions;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/** The HTTP client every {@code http} function call goes through (see {@link HttpFunctionInvoker}). */
public final class FunctionHttpClient {

  /**
   * How long a pooled connection may sit idle before the client closes it: under the idle timeout of common function
   * servers (Node.js and uvicorn close idle connections after 5 s), so that a call is not sent on a connection the
   * server is closing at that moment, which would fail the attempt with connection_error. The pool looks for expired
   * connections once a second, so one closes 3 to 4 s after its last use.
   */
  static final int KEEP_ALIVE_SECONDS = 3;
  static final int CONNECT_TIMEOUT_MS = 5_000;

  private FunctionHttpClient() {
  }

  public static HttpClient create(Vertx vertx, int maxConnectionsPerHost) {
    return vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
        .setConnectTimeout(CONNECT_TIMEOUT_MS),
      new PoolOptions().setHttp1MaxSize(maxConnectionsPerHost));
  }
}
