package io.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Renders {@code deploy/kubernetes/} (base and every overlay, each on its own) with {@code kubectl kustomize}, or
 * {@link KustomizeRenderer} without kubectl, parses every object with the fabric8 Kubernetes model and checks the
 * kit's invariants ({@link WorkloadChecks}, {@link TrafficChecks}, {@link KitChecks}). {@link Breakages} proves
 * each check fails on the manifest defect it guards against.
 */
class KubernetesManifestsTest {

  static List<String> violations(Rendering r, Overlay overlay) {
    List<String> v = new ArrayList<>(WorkloadChecks.check(r, overlay));
    v.addAll(TrafficChecks.check(r));
    v.addAll(KitChecks.check(r, overlay));
    return v;
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  @DisplayName("each overlay renders on its own, parses with no unknown field and keeps every invariant")
  void overlayKeepsTheInvariants(Overlay overlay) {
    Rendering rendering = overlay.rendering();

    assertThat(rendering.orchestrators()).hasSize(3);
    assertThat(violations(rendering, overlay)).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("io.orchestrator.deploy.Breakages#all")
  @DisplayName("every check fails on the defect it guards against")
  void checksCatchTheirDefect(Breakages.Breakage breakage) {
    List<Map<String, Object>> documents = new ArrayList<>(breakage.overlay().render());
    List<Map<String, Object>> examples = breakage.overlay().secretExamples();
    breakage.edit().accept(documents, examples);

    List<String> found = violations(Rendering.parse(breakage.overlay().name(), documents, examples),
      breakage.overlay());

    assertThat(found).as(breakage.what()).anyMatch(v -> v.contains(breakage.expected()));
  }

  @ParameterizedTest
  @EnumSource(Overlay.class)
  @DisplayName("the Java fallback renders the same objects as kubectl kustomize")
  void fallbackRendererMatchesKubectl(Overlay overlay) {
    assumeTrue(Overlay.kubectl() != null, "kubectl is not on PATH");

    assertThat(byIdentity(KustomizeRenderer.render(overlay.dir)))
      .isEqualTo(byIdentity(Overlay.kubectlKustomize(overlay.dir)));
  }

  @Test
  @DisplayName("the fallback renderer refuses kustomization features it does not implement")
  void fallbackRefusesWhatItDoesNotImplement(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: [a.yaml]\ncommonLabels: {team: x}\n");
    assertThatThrownBy(() -> KustomizeRenderer.render(dir)).hasMessageContaining("commonLabels");

    Files.writeString(dir.resolve("kustomization.yaml"), "secretGenerator: [{name: s, literals: [a=b]}]\n");
    assertThatThrownBy(() -> KustomizeRenderer.render(dir)).hasMessageContaining("disableNameSuffixHash");

    Files.writeString(dir.resolve("a.yaml"), "kind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 1}]}\n");
    Files.writeString(dir.resolve("p.yaml"), "kind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 2}]}\n");
    Files.writeString(dir.resolve("kustomization.yaml"), "resources: [a.yaml]\npatches: [{path: p.yaml}]\n");
    assertThatThrownBy(() -> KustomizeRenderer.render(dir)).hasMessageContaining("'ports'");
  }

  @Test
  @DisplayName("a misspelt field is reported, although the model parses it")
  void unknownFieldsAreReported() {
    Map<String, Object> deployment = Map.of("apiVersion", "apps/v1", "kind", "Deployment",
      "metadata", Map.of("name", "d"), "spec", Map.of("template", Map.of("spec", Map.of("containers",
        List.of(Map.of("name", "c", "livenesProbe", Map.of("periodSeconds", 5)))))));
    HasMetadata parsed = Rendering.parse("inline", List.of(deployment), List.of()).objects().get(0);

    assertThat(UnknownFields.of(parsed))
      .containsExactly("Deployment/d: unknown field .spec.template.spec.containers[0].livenesProbe");
  }

  private static Map<String, Map<String, Object>> byIdentity(List<Map<String, Object>> objects) {
    Function<Map<String, Object>, String> id = o -> o.get("apiVersion") + "/" + o.get("kind") + "/"
      + ((Map<?, ?>) o.get("metadata")).get("namespace") + "/" + ((Map<?, ?>) o.get("metadata")).get("name");
    return objects.stream().collect(Collectors.toMap(id, o -> o, (a, b) -> {
      throw new IllegalStateException("rendered twice: " + id.apply(a));
    }, TreeMap::new));
  }
}
