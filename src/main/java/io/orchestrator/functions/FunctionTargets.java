package io.orchestrator.functions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vertx.core.http.RequestOptions;
import java.net.URI;

/**
 * Function URLs as the HTTP client takes them, each parsed and judged by the {@link UrlPolicy} once: a function is
 * called with the same URL over and over, and parsing it twice (the policy's {@link URI}, the client's URL) on every
 * call showed in profiles (docs/performance.md §14). The policy is fixed for the life of the process, so its verdict
 * on a URL never changes. Bounded, so functions created by the thousand cannot grow it without end.
 */
final class FunctionTargets {

  private static final int MAX_URLS = 10_000;

  /** Where to send a call: the policy's refusal, or the parts of the URL the client needs. */
  record Target(String problem, String host, int port, boolean ssl, String uri) {

    /** Points {@code request} at this target. */
    RequestOptions applyTo(RequestOptions request) {
      return request.setHost(host).setPort(port).setSsl(ssl).setURI(uri);
    }
  }

  private final UrlPolicy policy;
  private final Cache<String, Target> targets = Caffeine.newBuilder().maximumSize(MAX_URLS).build();

  FunctionTargets(UrlPolicy policy) {
    this.policy = policy;
  }

  Target of(String url) {
    return targets.get(url, this::parse);
  }

  private Target parse(String url) {
    String problem = policy.problem(URI.create(url)).orElse(null);
    if (problem != null) {
      return new Target(problem, null, 0, false, null);
    }
    RequestOptions parsed = new RequestOptions().setAbsoluteURI(url);
    return new Target(null, parsed.getHost(), parsed.getPort(), parsed.isSsl(), parsed.getURI());
  }
}
