package io.orchestrator.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The renderable directories of {@code deploy/kubernetes/} and what each one promises. */
enum Overlay {
  BASE("base", "standalone", Path.of("base/secret.example.yaml"), false),
  REDIS("overlays/redis", "standalone", Path.of("base/secret.example.yaml"), false),
  REDIS_CLUSTER("overlays/redis-cluster", "cluster", Path.of("overlays/redis-cluster/secret.example.yaml"), false),
  /** Generates its own secrets and runs PostgreSQL and Redis in the cluster. */
  DEV("overlays/dev", "standalone", null, false),
  KEDA("overlays/keda", "standalone", Path.of("base/secret.example.yaml"), true);

  static final String NAMESPACE = "orchestrator";
  private static final YAMLMapper YAML = YAMLMapper.builder().build();

  final Path dir;
  /** {@code ORCH_REDIS_MODE} as the service reads it, lower case. */
  final String redisMode;
  /** The documented Secret the user creates; null when the overlay generates its secrets. */
  final Path secretExample;
  /** Whether the workers scale with a KEDA ScaledObject instead of an HPA. */
  final boolean keda;

  Overlay(String dir, String redisMode, Path secretExample, boolean keda) {
    Path kit = Path.of("deploy/kubernetes");
    this.dir = kit.resolve(dir);
    this.redisMode = redisMode;
    this.secretExample = secretExample == null ? null : kit.resolve(secretExample);
    this.keda = keda;
  }

  /**
   * {@code kubectl kustomize}'s rendering when kubectl is installed, else {@link KustomizeRenderer}'s (also with
   * {@code -Dkustomize=java}, to run the checks on the fallback where kubectl exists).
   */
  List<Map<String, Object>> render() {
    boolean java = kubectl() == null || "java".equals(System.getProperty("kustomize"));
    return java ? KustomizeRenderer.render(dir) : kubectlKustomize(dir);
  }

  Rendering rendering() {
    return Rendering.parse(name(), render(), secretExamples());
  }

  /** The documented Secret(s) as YAML trees: none when the overlay generates its own. */
  List<Map<String, Object>> secretExamples() {
    return secretExample == null ? new ArrayList<>() : KustomizeRenderer.readDocuments(secretExample);
  }

  /** The kubectl on PATH, or null. */
  static Path kubectl() {
    return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
      .map(p -> Path.of(p, "kubectl")).filter(Files::isExecutable).findFirst().orElse(null);
  }

  static List<Map<String, Object>> kubectlKustomize(Path dir) {
    try {
      Process process = new ProcessBuilder(kubectl().toString(), "kustomize", dir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("kubectl kustomize " + dir + " failed");
      }
      try (MappingIterator<Map<String, Object>> docs = YAML.readerFor(Map.class).readValues(out)) {
        return docs.readAll();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
