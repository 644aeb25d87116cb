package io.orchestrator.deploy;

import static io.orchestrator.deploy.Rendering.id;
import static io.orchestrator.deploy.Rendering.matches;
import static io.orchestrator.deploy.Rendering.podLabels;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The kit as a whole: a PodDisruptionBudget per role, autoscalers that target what exists (KEDA's ScaledObject in
 * its overlay), every object in the namespace, no secret values shipped outside the dev overlay, the dev overlay's
 * stores reachable under the URLs it generates, and no field the Kubernetes model does not know.
 */
final class KitChecks {

  private static final String SCALED_OBJECT = "keda.sh/v1alpha1/ScaledObject";

  private KitChecks() {
  }

  static List<String> check(Rendering r, Overlay overlay) {
    List<String> v = new ArrayList<>();
    r.objects().forEach(o -> v.addAll(UnknownFields.of(o)));
    r.objects().stream().filter(o -> !Overlay.NAMESPACE.equals(o.getMetadata().getNamespace()))
      .forEach(o -> v.add(id(o) + " is not in namespace " + Overlay.NAMESPACE));
    r.orchestrators().forEach(d -> v.addAll(disruptionBudget(r, d)));
    v.addAll(scaling(r, overlay));
    v.addAll(secrets(r, overlay));
    if (overlay == Overlay.DEV) {
      v.addAll(devStores(r));
    }
    return v;
  }

  private static List<String> disruptionBudget(Rendering r, Deployment d) {
    List<PodDisruptionBudget> budgets = r.all(PodDisruptionBudget.class).stream()
      .filter(b -> matches(b.getSpec().getSelector(), podLabels(d))).toList();
    if (budgets.size() != 1) {
      return List.of(id(d) + ": " + budgets.size() + " PodDisruptionBudgets select its pods, expected 1");
    }
    PodDisruptionBudget budget = budgets.get(0);
    List<String> v = new ArrayList<>();
    r.orchestrators().stream().filter(other -> other != d && matches(budget.getSpec().getSelector(), podLabels(other)))
      .forEach(other -> v.add(id(budget) + " also selects the pods of " + id(other)));
    if (budget.getSpec().getMaxUnavailable() == null && budget.getSpec().getMinAvailable() == null) {
      v.add(id(budget) + " sets neither maxUnavailable nor minAvailable");
    }
    return v;
  }

  private static List<String> scaling(Rendering r, Overlay overlay) {
    List<String> v = new ArrayList<>();
    List<String> scaled = new ArrayList<>();
    for (HorizontalPodAutoscaler hpa : r.all(HorizontalPodAutoscaler.class)) {
      CrossVersionObjectReference target = hpa.getSpec().getScaleTargetRef();
      if (!"Deployment".equals(target.getKind()) || !"apps/v1".equals(target.getApiVersion())
        || r.deployment(target.getName()).isEmpty()) {
        v.add(id(hpa) + " targets " + target.getKind() + "/" + target.getName() + ", which is not a Deployment here");
      }
      scaled.add(target.getName());
    }
    v.addAll(scaledObjects(r, overlay, scaled));
    for (String role : List.of("api", "worker")) {
      r.role(role).map(d -> d.getMetadata().getName()).filter(n -> scaled.stream().filter(n::equals).count() != 1)
        .ifPresent(n -> v.add("Deployment/" + n + " must have exactly one autoscaler, has "
          + scaled.stream().filter(n::equals).count()));
    }
    r.all(Deployment.class).stream().filter(d -> scaled.contains(d.getMetadata().getName())
      && d.getSpec().getReplicas() != null).forEach(d -> v.add(id(d) + " is autoscaled but sets replicas "
      + "(every kubectl apply would reset the autoscaler's count)"));
    return v;
  }

  /** Checks the KEDA ScaledObjects and adds their targets to {@code scaled}; no other unknown kind may appear. */
  private static List<String> scaledObjects(Rendering r, Overlay overlay, List<String> scaled) {
    List<String> v = new ArrayList<>();
    List<GenericKubernetesResource> scaledObjects = r.all(GenericKubernetesResource.class).stream()
      .filter(g -> SCALED_OBJECT.equals(g.getApiVersion() + "/" + g.getKind())).toList();
    r.all(GenericKubernetesResource.class).stream().filter(g -> !scaledObjects.contains(g))
      .forEach(g -> v.add(id(g) + ": a kind the Kubernetes model does not know"));
    for (GenericKubernetesResource so : scaledObjects) {
      v.addAll(KedaChecks.check(r, so));
      scaled.add(GenericKubernetesResource.get(so.getAdditionalProperties(), "spec", "scaleTargetRef", "name"));
    }
    if (overlay.keda != (scaledObjects.size() == 1)) {
      v.add(overlay.keda ? "expected one KEDA ScaledObject for the workers" : "unexpected KEDA ScaledObject");
    }
    return v;
  }

  /** Outside the dev overlay the kit ships no Secret; every key a pod reads must be in the documented example. */
  private static List<String> secrets(Rendering r, Overlay overlay) {
    List<String> v = new ArrayList<>();
    List<Secret> rendered = r.all(Secret.class);
    if (overlay.secretExample != null && !rendered.isEmpty()) {
      rendered.forEach(s -> v.add(id(s) + ": the kit must not ship secret values outside overlays/dev"));
    }
    if (overlay.secretExample == null && rendered.isEmpty()) {
      v.add("the dev overlay generates no Secret");
    }
    String documentation = overlay.secretExample == null ? "" : read(overlay.secretExample);
    for (Deployment d : r.all(Deployment.class)) {
      Rendering.containers(d).stream().flatMap(c -> c.getEnv() == null ? Stream.of() : c.getEnv().stream())
        .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
        .forEach(e -> v.addAll(secretKey(r, overlay, documentation, d, e)));
    }
    return v;
  }

  /** A required key must have a value; an optional one must at least be named in the documented example. */
  private static List<String> secretKey(Rendering r, Overlay overlay, String documentation, Deployment d, EnvVar e) {
    SecretKeySelector ref = e.getValueFrom().getSecretKeyRef();
    boolean optional = Boolean.TRUE.equals(ref.getOptional());
    boolean known = r.secrets().getOrDefault(ref.getName(), Map.of()).containsKey(ref.getKey())
      || optional && (overlay.secretExample == null || documentation.contains(ref.getKey()));
    if (known) {
      return List.of();
    }
    return List.of(id(d) + ": " + e.getName() + " reads Secret " + ref.getName() + " key " + ref.getKey()
      + ", which is " + (overlay.secretExample == null ? "not generated" : "not in " + overlay.secretExample));
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The generated store URLs name Services of this rendering that select the dev PostgreSQL and Redis pods. */
  private static List<String> devStores(Rendering r) {
    Map<String, String> secret = r.secrets().getOrDefault("orchestrator-secrets", Map.of());
    List<String> v = new ArrayList<>();
    for (String variable : List.of("ORCH_PG_URL", "ORCH_REDIS_URL")) {
      URI url = URI.create(Objects.requireNonNullElse(secret.get(variable), "missing://"));
      boolean reachable = r.all(Service.class).stream()
        .filter(s -> s.getMetadata().getName().equals(url.getHost()))
        .anyMatch(s -> s.getSpec().getPorts().stream().anyMatch(p -> p.getPort() == url.getPort())
          && r.all(Deployment.class).stream().anyMatch(d -> !r.orchestrators().contains(d)
          && matches(new LabelSelector(null, s.getSpec().getSelector()),
          podLabels(d))));
      if (!reachable) {
        v.add(variable + " " + url + " names no Service of the dev overlay that selects a store's pods");
      }
    }
    for (String image : List.of("postgres:15.", "redis:7.")) {
      if (r.all(Deployment.class).stream().flatMap(d -> Rendering.containers(d).stream())
        .noneMatch(c -> c.getImage().startsWith(image))) {
        v.add("the dev overlay runs no " + image + "x");
      }
    }
    return v;
  }
}
