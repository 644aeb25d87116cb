package io.orchestrator.deploy;

import static io.orchestrator.deploy.Rendering.id;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * KEDA's ScaledObject (not in the Kubernetes model, so parsed as a GenericKubernetesResource): it must scale the
 * worker Deployment on the Prometheus metric orchestrator_queue_ready, never to zero.
 */
final class KedaChecks {

  static final String METRIC = "orchestrator_queue_ready";

  private KedaChecks() {
  }

  static List<String> check(Rendering r, GenericKubernetesResource so) {
    List<String> v = new ArrayList<>();
    Map<String, Object> spec = GenericKubernetesResource.get(so.getAdditionalProperties(), "spec");
    if (spec == null) {
      return List.of(id(so) + ": no spec");
    }
    String target = GenericKubernetesResource.get(spec, "scaleTargetRef", "name");
    String kind = GenericKubernetesResource.get(spec, "scaleTargetRef", "kind");
    String worker = r.role("worker").map(d -> d.getMetadata().getName()).orElse("");
    if (!worker.equals(target) || (kind != null && !kind.equals("Deployment"))) {
      v.add(id(so) + ": scaleTargetRef " + kind + "/" + target + " is not the worker Deployment " + worker);
    }
    if (!(spec.get("minReplicaCount") instanceof Integer min) || min < 1) {
      v.add(id(so) + ": minReplicaCount must be at least 1 (the workers export the metric that scales them)");
    }
    List<Map<String, Object>> triggers = GenericKubernetesResource.get(spec, "triggers");
    boolean queueTrigger = triggers != null && triggers.stream().anyMatch(t -> "prometheus".equals(t.get("type"))
      && t.get("metadata") instanceof Map<?, ?> m && m.get("query") instanceof String query && query.contains(METRIC)
      && m.get("serverAddress") instanceof String address && !address.isBlank()
      && m.get("threshold") instanceof String threshold && threshold.matches("\\d+(\\.\\d+)?"));
    if (!queueTrigger) {
      v.add(id(so) + ": no prometheus trigger with serverAddress, a numeric threshold and a query on " + METRIC);
    }
    return v;
  }
}
