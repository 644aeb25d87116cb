package io.orchestrator.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Defects of the manifests, one or more per check, each with the violation the checks must report for it. */
final class Breakages {

  private static final String API = "orchestrator-api";
  private static final String WORKER = "orchestrator-worker";
  private static final String SCHEDULER = "orchestrator-scheduler";
  private static final String DEPLOYMENT = "Deployment";

  /** {@code edit} changes the rendered objects and the documented Secrets in place. */
  record Breakage(String what, Overlay overlay, BiConsumer<List<Map<String, Object>>, List<Map<String, Object>>> edit,
                  String expected) {
    @Override
    public String toString() {
      return overlay + ": " + what;
    }
  }

  private Breakages() {
  }

  static Stream<Breakage> all() {
    return Stream.of(workloads(), traffic(), kit()).flatMap(s -> s);
  }

  private static Stream<Breakage> workloads() {
    return Stream.of(
      on("no liveness probe", d -> container(d, WORKER).remove("livenessProbe"),
        "no liveness probe on GET /health/live"),
      on("readiness on another path", d -> map(path(container(d, SCHEDULER), "readinessProbe", "httpGet"))
        .put("path", "/health"), "no readiness probe on GET /health/ready"),
      on("probe on an undeclared port", d -> map(path(container(d, API), "livenessProbe", "httpGet"))
        .put("port", "admin"), "is not a port the container declares"),
      on("a worker that also serves the API", d -> env(d, WORKER, "ORCH_ROLES").put("value", "worker,api"),
        "ORCH_ROLES gives ["),
      on("image tagged latest", d -> container(d, SCHEDULER).put("image", "orchestrator:latest"), "not pinned"),
      on("image without a tag", d -> container(d, WORKER).put("image", "orchestrator"), "not pinned"),
      on("no memory limit", d -> map(path(container(d, API), "resources", "limits")).remove("memory"),
        "no memory limit"),
      on("grace period shorter than the exit bound", d -> map(path(object(d, DEPLOYMENT, WORKER), "spec", "template",
        "spec")).put("terminationGracePeriodSeconds", 25), "terminationGracePeriodSeconds 25"),
      on("implicit shutdown grace", d -> list(container(d, WORKER).get("env"))
        .removeIf(e -> "ORCH_SHUTDOWN_GRACE".equals(map(e).get("name"))), "ORCH_SHUTDOWN_GRACE is not set"),
      on("shutdown grace over the service's maximum", d -> env(d, WORKER, "ORCH_SHUTDOWN_GRACE").put("value", "30s"),
        "ORCH_SHUTDOWN_GRACE must be at most 20s"),
      on("api without preStop sleep", d -> container(d, API).remove("lifecycle"), "preStop sleep"),
      on("no scrape annotations", d -> map(path(object(d, DEPLOYMENT, SCHEDULER), "spec", "template", "metadata",
        "annotations")).remove("prometheus.io/scrape"), "prometheus.io/scrape"),
      on("heap not capped", d -> env(d, API, "JAVA_TOOL_OPTIONS").put("value", "-Xss1m"), "MaxRAMPercentage"),
      on("no store URL: embedded stores", d -> list(container(d, WORKER).get("env"))
        .removeIf(e -> "ORCH_PG_URL".equals(map(e).get("name"))), "must both be set"),
      on(Overlay.REDIS_CLUSTER, "cluster overlay in standalone mode", d -> map(object(d, "ConfigMap",
        "orchestrator-config").get("data")).put("ORCH_REDIS_MODE", "standalone"), "ORCH_REDIS_URL lists several"),
      on(Overlay.REDIS, "one-Redis overlay in cluster mode", d -> map(object(d, "ConfigMap", "orchestrator-config")
        .get("data")).put("ORCH_REDIS_MODE", "cluster"), "ORCH_REDIS_MODE is CLUSTER, expected standalone"),
      onExamples(Overlay.REDIS_CLUSTER, "one seed node", e -> map(e.get(0).get("stringData"))
        .put("ORCH_REDIS_URL", "redis://10.0.0.1:7000"), "several seed nodes"));
  }

  private static Stream<Breakage> traffic() {
    return Stream.of(
      on("service selects every role", d -> map(path(object(d, "Service", API), "spec", "selector"))
        .remove(Rendering.COMPONENT_LABEL), "expected the api pods only"),
      on("service targets an undeclared port", d -> map(list(path(object(d, "Service", API), "spec", "ports")).get(0))
        .put("targetPort", 9090), "target port 9090"),
      on("workers not isolated", d -> d.remove(object(d, "NetworkPolicy", "orchestrator-internal")),
        "no NetworkPolicy isolates"),
      on("workers open to everyone", d -> list(path(object(d, "NetworkPolicy", "orchestrator-internal"), "spec",
        "ingress")).add(new LinkedHashMap<>()), "lets traffic other than scrapes"),
      on("api closed", d -> map(list(path(object(d, "NetworkPolicy", API), "spec", "ingress")).get(0)).put("from",
        List.of(Map.of("podSelector", Map.of()))), "no NetworkPolicy lets the api pods"));
  }

  private static Stream<Breakage> kit() {
    return Stream.of(
      on("unknown field", d -> container(d, API).put("livenesProbe", container(d, API).remove("livenessProbe")),
        "unknown field .spec.template.spec.containers[0].livenesProbe"),
      on("object outside the namespace", d -> map(object(d, "ConfigMap", "orchestrator-config").get("metadata"))
        .remove("namespace"), "is not in namespace"),
      on("no disruption budget", d -> d.remove(object(d, "PodDisruptionBudget", API)), "0 PodDisruptionBudgets"),
      on("budget selects every role", d -> map(path(object(d, "PodDisruptionBudget", WORKER), "spec", "selector",
        "matchLabels")).remove(Rendering.COMPONENT_LABEL), "also selects the pods of"),
      on("autoscaler without target", d -> map(path(object(d, "HorizontalPodAutoscaler", API), "spec",
        "scaleTargetRef")).put("name", "orchestrator"), "which is not a Deployment here"),
      on("autoscaled and replicas set", d -> map(object(d, DEPLOYMENT, API).get("spec")).put("replicas", 2),
        "is autoscaled but sets replicas"),
      on("secret values shipped", d -> d.add(secret("orchestrator-secrets")), "must not ship secret values"),
      on("undocumented secret key", d -> map(path(env(d, API, "ORCH_PG_URL"), "valueFrom", "secretKeyRef"))
        .put("key", "PG_URL"), "key PG_URL, which is not in"),
      on("undocumented optional secret key", d -> map(path(env(d, WORKER, "ORCH_JWT_PUBLIC_KEY"), "valueFrom",
        "secretKeyRef")).put("key", "JWT_KEY"), "key JWT_KEY, which is not in"),
      on(Overlay.DEV, "no JWT key", d -> map(object(d, "Secret", "orchestrator-secrets").get("data"))
        .remove("ORCH_JWT_SECRET"), "exactly one of ORCH_JWT_SECRET and ORCH_JWT_PUBLIC_KEY"),
      on(Overlay.DEV, "Redis URL names no Service", d -> map(object(d, "Secret", "orchestrator-secrets").get("data"))
        .put("ORCH_REDIS_URL", base64("redis://cache:6379")), "names no Service"),
      on(Overlay.DEV, "another PostgreSQL", d -> container(d, "postgres").put("image", "postgres:16.4"),
        "runs no postgres:15."),
      on(Overlay.KEDA, "ScaledObject on the api", d -> map(path(object(d, "ScaledObject", WORKER), "spec",
        "scaleTargetRef")).put("name", API), "is not the worker Deployment"),
      on(Overlay.KEDA, "ScaledObject on another metric", d -> map(path(map(list(path(object(d, "ScaledObject",
        WORKER), "spec", "triggers")).get(0)), "metadata")).put("query", "sum(up)"), "no prometheus trigger"),
      on(Overlay.KEDA, "ScaledObject to zero", d -> map(path(object(d, "ScaledObject", WORKER), "spec"))
        .put("minReplicaCount", 0), "minReplicaCount must be at least 1"),
      on(Overlay.KEDA, "HPA beside KEDA", d -> d.addAll(Overlay.REDIS.render().stream()
        .filter(o -> "HorizontalPodAutoscaler".equals(o.get("kind")) && WORKER.equals(name(o))).toList()),
        "must have exactly one autoscaler, has 2"),
      on(Overlay.REDIS, "unexpected ScaledObject", d -> d.addAll(Overlay.KEDA.render().stream()
        .filter(o -> "ScaledObject".equals(o.get("kind"))).toList()), "unexpected KEDA ScaledObject"));
  }

  private static Breakage on(String what, Consumer<List<Map<String, Object>>> edit, String expected) {
    return on(Overlay.BASE, what, edit, expected);
  }

  private static Breakage on(Overlay overlay, String what, Consumer<List<Map<String, Object>>> edit,
                             String expected) {
    return new Breakage(what, overlay, (documents, examples) -> edit.accept(documents), expected);
  }

  private static Breakage onExamples(Overlay overlay, String what, Consumer<List<Map<String, Object>>> edit,
                                     String expected) {
    return new Breakage(what, overlay, (documents, examples) -> edit.accept(examples), expected);
  }

  static Map<String, Object> object(List<Map<String, Object>> documents, String kind, String name) {
    return documents.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(name(o))).findFirst()
      .orElseThrow(() -> new IllegalArgumentException("no " + kind + "/" + name + " in the rendering"));
  }

  private static Map<String, Object> container(List<Map<String, Object>> documents, String deployment) {
    return map(list(path(object(documents, DEPLOYMENT, deployment), "spec", "template", "spec", "containers")).get(0));
  }

  private static Map<String, Object> env(List<Map<String, Object>> documents, String deployment, String variable) {
    return list(container(documents, deployment).get("env")).stream().map(Breakages::map)
      .filter(e -> variable.equals(e.get("name"))).findFirst().orElseThrow();
  }

  private static Map<String, Object> secret(String name) {
    Map<String, Object> secret = new LinkedHashMap<>();
    secret.put("apiVersion", "v1");
    secret.put("kind", "Secret");
    secret.put("metadata", new LinkedHashMap<>(Map.of("name", name, "namespace", Overlay.NAMESPACE)));
    secret.put("stringData", new LinkedHashMap<>(Map.of("ORCH_PG_URL", "postgresql://u:p@h:5432/d")));
    return secret;
  }

  private static String base64(String value) {
    return java.util.Base64.getEncoder().encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static Object name(Map<String, Object> object) {
    return map(object.get("metadata")).get("name");
  }

  private static Object path(Map<String, Object> node, String... keys) {
    Object current = node;
    for (String key : keys) {
      current = Objects.requireNonNull(map(current).get(key), key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }
}
