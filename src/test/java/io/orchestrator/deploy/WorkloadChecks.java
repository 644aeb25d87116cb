package io.orchestrator.deploy;

import static io.orchestrator.deploy.Rendering.containers;
import static io.orchestrator.deploy.Rendering.declares;
import static io.orchestrator.deploy.Rendering.id;
import static io.orchestrator.deploy.Rendering.main;
import static io.orchestrator.deploy.Rendering.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.orchestrator.config.AppConfig;
import io.orchestrator.config.ConfigException;
import io.orchestrator.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What every pod must be: probed, sized, pinned, configured as the service accepts, and stopped gracefully. */
final class WorkloadChecks {

  /** The process exits at most this long after SIGTERM (App's shutdown hook; docs/operations.md). */
  static final int EXIT_BOUND_SECONDS = 30;
  private static final Pattern MAX_RAM = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(\\.\\d+)?)");
  private static final Map<String, Set<AppConfig.Role>> ROLES = Map.of(
    "api", Set.of(AppConfig.Role.API),
    "worker", Set.of(AppConfig.Role.WORKER),
    "scheduler", Set.of(AppConfig.Role.SCHEDULER));

  private WorkloadChecks() {
  }

  static List<String> check(Rendering r, Overlay overlay) {
    List<String> v = new ArrayList<>();
    for (String role : ROLES.keySet()) {
      if (r.role(role).isEmpty()) {
        v.add("no Deployment for the " + role + " role");
      }
    }
    for (Deployment d : r.all(Deployment.class)) {
      containers(d).forEach(c -> v.addAll(sizedAndPinned(d, c)));
    }
    for (Deployment d : r.orchestrators()) {
      v.addAll(probes(d));
      v.addAll(scrapeAnnotations(d));
      v.addAll(configuration(r, overlay, d));
    }
    return v;
  }

  private static List<String> sizedAndPinned(Deployment d, Container c) {
    List<String> v = new ArrayList<>();
    String where = id(d) + " container " + c.getName();
    ResourceRequirements res = c.getResources();
    for (String resource : List.of("cpu", "memory")) {
      if (res == null || res.getRequests() == null || !res.getRequests().containsKey(resource)) {
        v.add(where + ": no " + resource + " request");
      }
      if (res == null || res.getLimits() == null || !res.getLimits().containsKey(resource)) {
        v.add(where + ": no " + resource + " limit");
      }
    }
    String image = c.getImage() == null ? "" : c.getImage();
    int colon = image.lastIndexOf(':');
    String tag = colon > image.lastIndexOf('/') ? image.substring(colon + 1) : "";
    if (!image.contains("@sha256:") && (tag.isEmpty() || tag.equals("latest"))) {
      v.add(where + ": image '" + image + "' is not pinned to a tag other than latest");
    }
    return v;
  }

  private static List<String> probes(Deployment d) {
    List<String> v = new ArrayList<>();
    Container c = main(d);
    v.addAll(probe(d, c, "liveness", c.getLivenessProbe(), "/health/live"));
    v.addAll(probe(d, c, "readiness", c.getReadinessProbe(), "/health/ready"));
    return v;
  }

  private static List<String> probe(Deployment d, Container c, String kind, Probe probe, String path) {
    HTTPGetAction get = probe == null ? null : probe.getHttpGet();
    if (get == null || !path.equals(get.getPath())) {
      return List.of(id(d) + ": no " + kind + " probe on GET " + path);
    }
    if (!declares(c, get.getPort())) {
      return List.of(id(d) + ": the " + kind + " probe's port " + get.getPort().getValue()
        + " is not a port the container declares");
    }
    return List.of();
  }

  private static List<String> scrapeAnnotations(Deployment d) {
    Map<String, String> a = d.getSpec().getTemplate().getMetadata().getAnnotations();
    a = a == null ? Map.of() : a;
    String port = a.getOrDefault("prometheus.io/port", "");
    boolean portDeclared = port.matches("\\d+") && declares(main(d), new IntOrString(Integer.parseInt(port)));
    if (!"true".equals(a.get("prometheus.io/scrape")) || !"/metrics".equals(a.get("prometheus.io/path"))
      || !portDeclared) {
      return List.of(id(d) + ": pods lack prometheus.io/scrape=true, path=/metrics and a declared port");
    }
    return List.of();
  }

  /** The container's environment as ConfigLoader reads it, and what follows from it. */
  private static List<String> configuration(Rendering r, Overlay overlay, Deployment d) {
    Map<String, String> env;
    try {
      env = r.environment(main(d));
    } catch (IllegalStateException e) {
      return List.of(id(d) + ": " + e.getMessage());
    }
    if (env.get("ORCH_JWT_SECRET") == null == (env.get("ORCH_JWT_PUBLIC_KEY") == null)) {
      // checked before ConfigLoader, which would otherwise create a development secret under ./data
      return List.of(id(d) + ": needs exactly one of ORCH_JWT_SECRET and ORCH_JWT_PUBLIC_KEY");
    }
    AppConfig config;
    try {
      config = ConfigLoader.load(env);
    } catch (ConfigException e) {
      return List.of(id(d) + ": the service refuses its configuration: " + e.getMessage());
    }
    List<String> v = new ArrayList<>();
    v.addAll(roles(d, config));
    v.addAll(stores(d, config, overlay));
    v.addAll(grace(d, env, config));
    v.addAll(heap(d, env));
    if (!declares(main(d), new IntOrString(config.http().port()))) {
      v.add(id(d) + ": the container does not declare ORCH_HTTP_PORT " + config.http().port());
    }
    return v;
  }

  private static List<String> roles(Deployment d, AppConfig config) {
    String component = Rendering.podLabels(d).get(Rendering.COMPONENT_LABEL);
    Set<AppConfig.Role> expected = ROLES.get(component);
    if (expected != null && !expected.equals(config.roles())) {
      // one role per Deployment: an api role on a worker would serve the API from pods no Service selects
      return List.of(id(d) + ": ORCH_ROLES gives " + config.roles() + ", expected " + expected);
    }
    return List.of();
  }

  private static List<String> stores(Deployment d, AppConfig config, Overlay overlay) {
    List<String> v = new ArrayList<>();
    if (config.stores().embeddedPg() || config.stores().embeddedRedis()) {
      v.add(id(d) + ": ORCH_PG_URL and ORCH_REDIS_URL must both be set (else the pod starts embedded stores)");
    }
    if (!config.stores().redisMode().name().equalsIgnoreCase(overlay.redisMode)) {
      v.add(id(d) + ": ORCH_REDIS_MODE is " + config.stores().redisMode() + ", expected " + overlay.redisMode);
    }
    int seeds = config.stores().redisUrls().size();
    if (config.stores().redisCluster() && seeds < 2) {
      v.add(id(d) + ": a Redis Cluster's ORCH_REDIS_URL should list several seed nodes, got " + seeds);
    }
    return v;
  }

  private static List<String> grace(Deployment d, Map<String, String> env, AppConfig config) {
    List<String> v = new ArrayList<>();
    if (!env.containsKey("ORCH_SHUTDOWN_GRACE")) {
      v.add(id(d) + ": ORCH_SHUTDOWN_GRACE is not set explicitly");
    }
    Long period = pod(d).getTerminationGracePeriodSeconds();
    var preStop = main(d).getLifecycle() == null ? null : main(d).getLifecycle().getPreStop();
    long sleep = preStop == null || preStop.getSleep() == null ? 0 : preStop.getSleep().getSeconds();
    long grace = config.engine().shutdownGrace().toSeconds();
    if (period == null || period <= sleep + grace || period < sleep + EXIT_BOUND_SECONDS) {
      v.add(id(d) + ": terminationGracePeriodSeconds " + period + " must exceed the preStop sleep (" + sleep
        + " s) plus ORCH_SHUTDOWN_GRACE (" + grace + " s) and cover the sleep plus the " + EXIT_BOUND_SECONDS
        + " s the process may take to exit");
    }
    if ("api".equals(Rendering.podLabels(d).get(Rendering.COMPONENT_LABEL)) && (sleep < 1 || sleep > 15)) {
      v.add(id(d) + ": the api needs a short preStop sleep (1–15 s) so endpoints drain before SIGTERM");
    }
    return v;
  }

  private static List<String> heap(Deployment d, Map<String, String> env) {
    Matcher m = MAX_RAM.matcher(env.getOrDefault("JAVA_TOOL_OPTIONS", ""));
    if (!m.find() || Double.parseDouble(m.group(1)) > 75) {
      return List.of(id(d) + ": JAVA_TOOL_OPTIONS must cap the heap with -XX:MaxRAMPercentage (at most 75)");
    }
    return List.of();
  }
}
