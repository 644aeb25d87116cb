package io.orchestrator;

import io.orchestrator.fixtures.ApiClient;
import io.orchestrator.fixtures.Jwts;
import io.orchestrator.fixtures.TestApp;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code token} sub-command. The service under test runs with no configured key (zero set-up), so it uses the
 * development secret in its data directory; the command finds the same secret from the same ORCH_DATA_DIR, or takes
 * it from ORCH_JWT_SECRET.
 */
@DisplayName("The token sub-command")
class TokenCommandIT {

  private static Path dataDir;
  private static TestApp app;

  @BeforeAll
  static void start() {
    dataDir = TestApp.tempDir();
    app = TestApp.start(Map.of("ORCH_JWT_SECRET", "", "ORCH_DATA_DIR", dataDir.toString()));
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  @DisplayName("with ORCH_JWT_SECRET it prints one token the service accepts; createdBy is --sub")
  void withSecret() throws Exception {
    String ws = TestApp.randomWorkspace();
    String secret = Files.readString(dataDir.resolve("dev-jwt-secret")).trim();
    Output result = run(Map.of("ORCH_JWT_SECRET", secret), "token", "--sub", "cli-user", "--workspace", ws);

    assertThat(result.code).isZero();
    assertThat(result.out.lines()).hasSize(1);
    assertThat(result.err).isEmpty();
    ApiClient client = new ApiClient(app.http, ws, result.out.trim());
    ApiClient.Reply created = client.post("/functions", new JsonObject().put("name", "f")
      .put("url", "https://example.com/f"));
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().getString("createdBy")).isEqualTo("cli-user");
  }

  @Test
  @DisplayName("without any key it uses the development secret of ORCH_DATA_DIR, as the service does")
  void zeroSetUp() {
    String ws = TestApp.randomWorkspace();
    Output result = run(Map.of("ORCH_DATA_DIR", dataDir.toString()), "token", "--sub", "dev", "--workspace", ws);

    assertThat(result.code).isZero();
    assertThat(new ApiClient(app.http, ws, result.out.trim()).get("/orchestrations").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("repeated --workspace grants each workspace and no other; \"*\" grants all")
  void workspaces() {
    String a = TestApp.randomWorkspace();
    String b = TestApp.randomWorkspace();
    String both = mint("--sub", "u", "--workspace", a, "--workspace", b);
    String all = mint("--sub", "u", "--workspace", "*");

    assertThat(new ApiClient(app.http, a, both).get("/orchestrations").status()).isEqualTo(200);
    assertThat(new ApiClient(app.http, b, both).get("/orchestrations").status()).isEqualTo(200);
    assertThat(new ApiClient(app.http, TestApp.randomWorkspace(), both).get("/orchestrations").status())
      .isEqualTo(403);
    assertThat(new ApiClient(app.http, TestApp.randomWorkspace(), all).get("/orchestrations").status())
      .isEqualTo(200);
  }

  @Test
  @DisplayName("the token carries sub, workspaces and exp = iat + --ttl (default 24 h)")
  void claims() {
    JsonObject custom = payload(mint("--sub", "u7", "--workspace", "w1", "--ttl", "120"));
    JsonObject standard = payload(mint("--workspace", "w1"));

    assertThat(custom.getString("sub")).isEqualTo("u7");
    assertThat(custom.getJsonArray("workspaces").getList()).containsExactly("w1");
    assertThat(custom.getLong("exp") - custom.getLong("iat")).isEqualTo(120);
    assertThat(standard.getString("sub")).isEqualTo("dev");
    assertThat(standard.getLong("exp") - standard.getLong("iat")).isEqualTo(24 * 3600);
  }

  @ParameterizedTest(name = "token {0}")
  @ValueSource(strings = {"--sub u1", "--workspace", "--sub u1 --workspace", "--workspace ws --ttl",
    "--workspace ws --ttl abc", "--workspace ws --ttl 0", "--workspace ws --bogus x", "--workspace ws extra"})
  @DisplayName("bad arguments exit 64 with usage on stderr and print no token")
  void usage(String arguments) {
    String[] args = ("token " + arguments).split(" ");

    Output result = run(Map.of("ORCH_DATA_DIR", dataDir.toString()), args);

    assertThat(result.code).isEqualTo(64);
    assertThat(result.out).isEmpty();
    assertThat(result.err).contains("usage:");
  }

  @Test
  @DisplayName("with only ORCH_JWT_PUBLIC_KEY configured it refuses (exit 64): tokens come from the issuer")
  void publicKeyOnly() {
    String pem = Jwts.publicKeyPem(Jwts.rsaKeyPair().getPublic());

    Output result = run(Map.of("ORCH_JWT_PUBLIC_KEY", pem, "ORCH_DATA_DIR", dataDir.toString()),
      "token", "--workspace", "ws");

    assertThat(result.code).isEqualTo(64);
    assertThat(result.out).isEmpty();
    assertThat(result.err).contains("ORCH_JWT_SECRET");
  }

  private static String mint(String... options) {
    String[] args = new String[options.length + 1];
    args[0] = "token";
    System.arraycopy(options, 0, args, 1, options.length);
    Output result = run(Map.of("ORCH_DATA_DIR", dataDir.toString()), args);
    assertThat(result.code).as(result.err).isZero();
    return result.out.trim();
  }

  private static JsonObject payload(String token) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  private record Output(int code, String out, String err) {
  }

  private static Output run(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TokenCommand.run(args, new HashMap<>(env), new PrintStream(out, true, StandardCharsets.UTF_8),
      new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
