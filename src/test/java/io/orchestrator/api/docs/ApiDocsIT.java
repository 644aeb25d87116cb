package io.orchestrator.api.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.fixtures.SharedApp;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpResponse;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The API explorer's files over HTTP: public, offline (every asset from this service), with the docs' CSP. */
@SharedApp.Config
class ApiDocsIT {

  private static final String DOCS = "/orchestration/api/v1/docs/";
  private static final Pattern REFERENCE = Pattern.compile("(?:src|href)=\"([^\"]+)\"");
  private static final Map<String, String> TYPES = Map.of("css", "text/css", "js", "text/javascript",
    "png", "image/png", "yaml", "text/plain");

  private static TestApp app;

  @BeforeAll
  static void start(TestApp shared) {
    app = shared;
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path) {
    return TestApp.await(app.http.request(method, path).followRedirects(false).send());
  }

  @Test
  @DisplayName("the page needs no token, is HTML with the docs' CSP, and loads nothing from another host")
  void page() {
    HttpResponse<Buffer> page = send(HttpMethod.GET, DOCS);

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.getHeader("Content-Type")).startsWith("text/html");
    assertThat(page.getHeader("Content-Security-Policy")).isEqualTo(ApiDocsRoutes.CONTENT_SECURITY_POLICY);
    assertThat(page.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.getHeader("X-Frame-Options")).isEqualTo("DENY");
    assertThat(page.getHeader("Cache-Control")).isEqualTo("no-cache");
    String html = page.bodyAsString();
    assertThat(html).doesNotContainPattern("(?i)https?:").doesNotContain("//cdn").doesNotContain("<style")
      .doesNotContainPattern("<script>").doesNotContain("petstore");
    assertThat(references(html)).contains("swagger-ui-bundle.js", "swagger-initializer.js", "swagger-ui.css");
  }

  @Test
  @DisplayName("every file the page references is served from this service with its content type")
  void everyReferencedAsset() {
    for (String reference : references(send(HttpMethod.GET, DOCS).bodyAsString())) {
      String path = java.net.URI.create(DOCS).resolve(reference).getPath();
      HttpResponse<Buffer> asset = send(HttpMethod.GET, path);
      assertThat(asset.statusCode()).as(path).isEqualTo(200);
      String extension = path.substring(path.lastIndexOf('.') + 1);
      assertThat(asset.getHeader("Content-Type")).as(path).startsWith(TYPES.get(extension));
      assertThat(asset.body().length()).as(path).isPositive();
      if (path.startsWith(DOCS)) {
        assertThat(asset.getHeader("Content-Security-Policy")).as(path)
          .isEqualTo(ApiDocsRoutes.CONTENT_SECURITY_POLICY);
      }
    }
  }

  @Test
  @DisplayName("our initializer loads the served openapi.yaml, with Authorize kept out of storage and URLs")
  void initializer() {
    HttpResponse<Buffer> script = send(HttpMethod.GET, DOCS + "swagger-initializer.js");

    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.getHeader("Content-Type")).startsWith("text/javascript");
    String js = script.bodyAsString();
    assertThat(js).contains("url: '../openapi.yaml'").contains("persistAuthorization: false")
      .contains("queryConfigEnabled: false").contains("validatorUrl: null").doesNotContain("petstore")
      .doesNotContainPattern("https?://");
    assertThat(java.net.URI.create(DOCS).resolve("../openapi.yaml").getPath())
      .isEqualTo("/orchestration/api/v1/openapi.yaml");
    HttpResponse<Buffer> contract = send(HttpMethod.GET, "/orchestration/api/v1/openapi.yaml");
    assertThat(contract.statusCode()).isEqualTo(200);
    assertThat(contract.bodyAsString()).startsWith("openapi: 3.1.0").contains("bearerAuth:");
  }

  @Test
  @DisplayName("/docs redirects to /docs/, for GET and HEAD")
  void redirect() {
    for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD}) {
      HttpResponse<Buffer> answer = send(method, "/orchestration/api/v1/docs");
      assertThat(answer.statusCode()).as(method.name()).isEqualTo(302);
      assertThat(answer.getHeader("Location")).as(method.name()).isEqualTo(DOCS);
    }
  }

  @Test
  @DisplayName("HEAD of an asset is 200 without a body; other names, the WebJar's own page and initializer too, are 404")
  void headAndUnknownNames() {
    HttpResponse<Buffer> head = send(HttpMethod.HEAD, DOCS + "swagger-ui-bundle.js");
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isNull();

    for (String name : new String[] {"no-such-file.js", "swagger-ui-standalone-preset.js", "oauth2-redirect.html",
      "swagger-ui.js", "index.css/x", "META-INF/maven/org.webjars/swagger-ui/pom.properties", "%2e%2e/%2e%2e/x"}) {
      for (HttpMethod method : new HttpMethod[] {HttpMethod.GET, HttpMethod.HEAD}) {
        HttpResponse<Buffer> answer = send(method, DOCS + name);
        assertThat(answer.statusCode()).as(method + " " + name).isEqualTo(404);
        if (method == HttpMethod.GET) {
          assertThat(answer.bodyAsJsonObject().getString("error")).as(name).isEqualTo("not_found");
        }
      }
    }
    // the WebJar's initializer (it loads the petstore) is shadowed by ours
    assertThat(send(HttpMethod.GET, DOCS + "swagger-initializer.js").bodyAsString()).doesNotContain("petstore");
  }

  @Test
  @DisplayName("a browser revalidates the unversioned files: 304 while unchanged")
  void revalidation() {
    HttpResponse<Buffer> first = send(HttpMethod.GET, DOCS + "swagger-ui.css");
    String lastModified = first.getHeader("Last-Modified");
    assertThat(lastModified).isNotNull();

    HttpResponse<Buffer> again = TestApp.await(app.http.get(DOCS + "swagger-ui.css")
      .putHeader("If-Modified-Since", lastModified).send());
    assertThat(again.statusCode()).isEqualTo(304);
  }

  /** The src and href values of the page, in order. */
  private static Set<String> references(String html) {
    Set<String> found = new LinkedHashSet<>();
    Matcher m = REFERENCE.matcher(html);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }
}
