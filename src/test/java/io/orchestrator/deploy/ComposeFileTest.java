package io.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("docker-compose.yml: the stores and the service, healthy before use, configured as the service reads it")
class ComposeFileTest {

  private static final Set<String> DEFAULT_SERVICES = Set.of("postgres", "redis", "orchestrator");
  private static final Set<String> CLUSTER_SERVICES = Set.of("redis-node-1", "redis-node-2", "redis-node-3",
    "redis-node-4", "redis-node-5", "redis-node-6", "redis-cluster-init", "orchestrator-cluster");
  private static final Pattern CONFIG_VARIABLE = Pattern.compile("\"((?:ORCH|OTEL)_[A-Z0-9_]+)\"");

  private final Map<String, Map<String, Object>> services = services();

  @Test
  @DisplayName("PostgreSQL, Redis and the service by default; the Redis Cluster deployment only in profile cluster")
  void servicesAndProfiles() {
    Set<String> all = new TreeSet<>(DEFAULT_SERVICES);
    all.addAll(CLUSTER_SERVICES);
    assertThat(services.keySet()).containsExactlyInAnyOrderElementsOf(all);
    DEFAULT_SERVICES.forEach(name -> assertThat(services.get(name)).as(name).doesNotContainKey("profiles"));
    CLUSTER_SERVICES.forEach(name -> assertThat(services.get(name).get("profiles")).as(name)
      .isEqualTo(List.of("cluster")));
  }

  @Test
  @DisplayName("every long-running service has a health check: its own, or the image's for the service built here")
  void healthChecks() {
    assertThat(DeployFiles.read(Path.of("Dockerfile")).lines()).anyMatch(line -> line.startsWith("HEALTHCHECK "));
    services.forEach((name, service) -> {
      if (oneShot(service)) {
        return;
      }
      if (builtHere(service)) {
        assertThat(service).as("%s uses the Dockerfile's HEALTHCHECK", name).doesNotContainKey("healthcheck");
      } else {
        Map<String, Object> check = map(service.get("healthcheck"), name + " healthcheck");
        assertThat(check.get("test")).as("%s healthcheck test", name).isInstanceOf(List.class);
        assertThat(check.get("disable")).as(name).isNotEqualTo(true);
      }
    });
    assertThat(services.values()).filteredOn(ComposeFileTest::oneShot).hasSize(1);
  }

  @Test
  @DisplayName("the service starts once its stores are healthy (a one-shot set-up: once it has succeeded)")
  void dependsOnHealthyStores() {
    assertThat(dependencies("orchestrator").keySet()).containsExactlyInAnyOrder("postgres", "redis");
    assertThat(dependencies("orchestrator-cluster").keySet())
      .containsExactlyInAnyOrder("postgres", "redis-cluster-init");
    assertThat(dependencies("redis-cluster-init")).hasSize(6);
    for (String name : List.of("orchestrator", "orchestrator-cluster", "redis-cluster-init")) {
      dependencies(name).forEach((dependency, condition) -> assertThat(condition).as("%s → %s", name, dependency)
        .isEqualTo(oneShot(services.get(dependency)) ? "service_completed_successfully" : "service_healthy"));
    }
  }

  @Test
  @DisplayName("each redis-server reads a config file mounted from redis/, as are the files it includes")
  void redisConfigMounted() {
    int servers = 0;
    for (Map.Entry<String, Map<String, Object>> entry : services.entrySet()) {
      List<?> command = entry.getValue().get("command") instanceof List<?> c ? c : List.of();
      if (command.isEmpty() || !"redis-server".equals(command.get(0))) {
        continue;
      }
      servers++;
      Map<String, Path> mounts = mounts(entry.getValue());
      Path config = mounts.get(String.valueOf(command.get(1)));
      assertThat(config).as("%s mounts the config %s", entry.getKey(), command.get(1)).isNotNull();
      assertThat(config.startsWith("redis")).as("%s from redis/", config).isTrue();
      Matcher include = Pattern.compile("(?m)^include\\s+(\\S+)").matcher(DeployFiles.read(config));
      while (include.find()) {
        assertThat(mounts).as("%s mounts %s, which %s includes", entry.getKey(), include.group(1), config)
          .containsKey(include.group(1));
      }
    }
    assertThat(servers).isEqualTo(7);
    assertThat(mounts(services.get("redis"))).containsEntry("/usr/local/etc/redis/redis.conf",
      Path.of("redis/redis.conf"));
  }

  @Test
  @DisplayName("images carry explicit tags, never latest; the service publishes the port it listens on")
  void imagesAndPorts() {
    services.forEach((name, service) -> {
      if (builtHere(service)) {
        assertThat(service).as(name).doesNotContainKey("image");
        List<?> ports = (List<?>) service.get("ports");
        assertThat(ports).as("%s ports", name).isNotEmpty().allSatisfy(port -> assertThat(String.valueOf(port))
          .as("the container side is the default ORCH_HTTP_PORT").endsWith(":8080"));
        assertThat(environment(service)).doesNotContainKey("ORCH_HTTP_PORT");
      } else {
        assertThat(String.valueOf(service.get("image"))).as("%s image", name).matches("[a-z0-9./-]+:[\\w.-]+")
          .doesNotEndWith(":latest");
      }
    });
  }

  @Test
  @DisplayName("the service's variables are ones ConfigLoader reads, its URLs point at the compose stores, and a "
    + "stop waits out the 30 s graceful shutdown")
  void serviceConfiguration() {
    Set<String> read = new TreeSet<>();
    Matcher m = CONFIG_VARIABLE.matcher(DeployFiles.read(Path.of(
      "src/main/java/io/orchestrator/config/ConfigLoader.java")));
    while (m.find()) {
      read.add(m.group(1));
    }
    assertThat(read).contains("ORCH_PG_URL", "ORCH_REDIS_URL", "ORCH_JWT_SECRET");
    Map<String, String> postgres = environment(services.get("postgres"));
    for (String name : List.of("orchestrator", "orchestrator-cluster")) {
      Map<String, Object> service = services.get(name);
      Map<String, String> env = environment(service);
      assertThat(read).as("variables of %s that ConfigLoader reads", name).containsAll(env.keySet());
      URI pg = URI.create(env.get("ORCH_PG_URL"));
      assertThat(pg.getUserInfo()).isEqualTo(postgres.get("POSTGRES_USER") + ":" + postgres.get("POSTGRES_PASSWORD"));
      assertThat(pg.getHost() + pg.getPath()).isEqualTo("postgres/" + postgres.get("POSTGRES_DB"));
      assertThat(Duration.parse("PT" + service.get("stop_grace_period"))).isGreaterThan(Duration.ofSeconds(30));
    }
    assertThat(environment(services.get("orchestrator"))).containsEntry("ORCH_REDIS_URL", "redis://redis:6379");
  }

  @Test
  @DisplayName("the cluster's six addresses agree: each node's network address, announce IP, the init's NODES and "
    + "the service's seed list")
  void clusterAddresses() {
    Set<String> addresses = new TreeSet<>();
    for (int i = 1; i <= 6; i++) {
      Map<String, Object> node = services.get("redis-node-" + i);
      Map<String, Object> networks = map(node.get("networks"), "networks of node " + i);
      String address = String.valueOf(map(networks.get("redis-cluster"), "node " + i).get("ipv4_address"));
      List<?> command = (List<?>) node.get("command");
      assertThat(command.get(command.indexOf("--cluster-announce-ip") + 1)).as("node %s announces", i)
        .isEqualTo(address);
      addresses.add(address);
    }
    assertThat(addresses).hasSize(6);
    Set<String> nodes = new TreeSet<>(List.of(environment(services.get("redis-cluster-init")).get("NODES")
      .replace(":6379", "").split(" ")));
    Set<String> seeds = new TreeSet<>(List.of(environment(services.get("orchestrator-cluster")).get("ORCH_REDIS_URL")
      .replace("redis://", "").replace(":6379", "").trim().split(",")));
    assertThat(nodes).isEqualTo(addresses);
    assertThat(seeds).isEqualTo(addresses);
    assertThat(environment(services.get("orchestrator-cluster"))).containsEntry("ORCH_REDIS_MODE", "cluster");
  }

  // ---- reading the file -----------------------------------------------------------------------------------------

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> services() {
    Map<String, Object> compose = (Map<String, Object>) DeployFiles.yaml(Path.of("docker-compose.yml"));
    return (Map<String, Map<String, Object>>) compose.get("services");
  }

  /** Runs once and ends (restart: "no"), as the cluster's set-up does. */
  private static boolean oneShot(Map<String, Object> service) {
    return "no".equals(String.valueOf(service.get("restart")));
  }

  private static boolean builtHere(Map<String, Object> service) {
    return ".".equals(service.get("build"));
  }

  /** Dependency → its condition. */
  private Map<String, String> dependencies(String name) {
    Map<String, String> conditions = new LinkedHashMap<>();
    map(services.get(name).get("depends_on"), name + " depends_on").forEach((dependency, spec) ->
      conditions.put(dependency, String.valueOf(map(spec, name + " → " + dependency).get("condition"))));
    return conditions;
  }

  /** Container path → repository file, of the bind mounts ({@code ./file:/path[:ro]}); files must exist. */
  private static Map<String, Path> mounts(Map<String, Object> service) {
    Map<String, Path> mounts = new LinkedHashMap<>();
    for (Object volume : (List<?>) service.get("volumes")) {
      String[] parts = String.valueOf(volume).split(":");
      if (parts[0].startsWith("./")) {
        Path file = Path.of(parts[0].substring(2));
        assertThat(file).as("mounted file").exists();
        mounts.put(parts[1], file);
      }
    }
    return mounts;
  }

  /** The environment as a map, whether written as a map or as a list of NAME=value. */
  private static Map<String, String> environment(Map<String, Object> service) {
    Map<String, String> env = new LinkedHashMap<>();
    Object value = service.get("environment");
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
    } else if (value instanceof List<?> list) {
      list.forEach(item -> {
        String[] pair = String.valueOf(item).split("=", 2);
        env.put(pair[0], pair.length > 1 ? pair[1] : "");
      });
    }
    return env;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value, String what) {
    assertThat(value).as(what).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }
}
