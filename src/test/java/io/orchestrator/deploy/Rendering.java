package io.orchestrator.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * One rendered kustomization: every object parsed into the fabric8 model (kinds the model does not know, such as
 * KEDA's ScaledObject, as {@code GenericKubernetesResource}), with the look-ups the checks share.
 *
 * @param secrets the values each Secret name resolves to: the rendering's own Secrets, or the documented examples
 */
record Rendering(String name, List<HasMetadata> objects, Map<String, Map<String, String>> secrets) {

  static final String APP_LABEL = "app.kubernetes.io/name";
  static final String COMPONENT_LABEL = "app.kubernetes.io/component";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Parses a rendering; {@code secretExamples} are the documented Secrets the user is told to create. */
  static Rendering parse(String name, List<Map<String, Object>> documents, List<Map<String, Object>> secretExamples) {
    List<HasMetadata> objects = documents.stream()
      .map(d -> (HasMetadata) JSON.convertValue(d, KubernetesResource.class)).toList();
    Map<String, Map<String, String>> secrets = new LinkedHashMap<>();
    secretExamples.stream().map(d -> JSON.convertValue(d, Secret.class))
      .forEach(s -> secrets.put(s.getMetadata().getName(), values(s)));
    objects.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
      .forEach(s -> secrets.put(s.getMetadata().getName(), values(s)));
    return new Rendering(name, objects, secrets);
  }

  private static Map<String, String> values(Secret secret) {
    Map<String, String> values = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> values.put(k, new String(Base64.getMimeDecoder().decode(v),
        StandardCharsets.UTF_8)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return values;
  }

  <T> List<T> all(Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** The Deployments running the orchestrator image, recognised by their app label. */
  List<Deployment> orchestrators() {
    return all(Deployment.class).stream()
      .filter(d -> "orchestrator".equals(podLabels(d).get(APP_LABEL))).toList();
  }

  Optional<Deployment> role(String component) {
    return orchestrators().stream().filter(d -> component.equals(podLabels(d).get(COMPONENT_LABEL))).findFirst();
  }

  Optional<Deployment> deployment(String name) {
    return all(Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name)).findFirst();
  }

  static String id(HasMetadata object) {
    return object.getKind() + "/" + object.getMetadata().getName();
  }

  static Map<String, String> podLabels(Deployment deployment) {
    Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  static PodSpec pod(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec();
  }

  static List<Container> containers(Deployment deployment) {
    List<Container> all = new ArrayList<>(pod(deployment).getContainers());
    if (pod(deployment).getInitContainers() != null) {
      all.addAll(pod(deployment).getInitContainers());
    }
    return all;
  }

  /** The orchestrator container of one of {@link #orchestrators()}. */
  static Container main(Deployment deployment) {
    return pod(deployment).getContainers().get(0);
  }

  /** Whether {@code port} (a number or a port name) is one the container declares. */
  static boolean declares(Container container, IntOrString port) {
    List<ContainerPort> ports = container.getPorts() == null ? List.of() : container.getPorts();
    return port != null && ports.stream().anyMatch(p -> port.getStrVal() != null
      ? port.getStrVal().equals(p.getName()) : Objects.equals(port.getIntVal(), p.getContainerPort()));
  }

  /** A label selector as the API server evaluates it; a null selector selects nothing, an empty one everything. */
  static boolean matches(LabelSelector selector, Map<String, String> labels) {
    if (selector == null) {
      return false;
    }
    if (selector.getMatchLabels() != null && selector.getMatchLabels().entrySet().stream()
      .anyMatch(e -> !e.getValue().equals(labels.get(e.getKey())))) {
      return false;
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null ? List.of()
      : selector.getMatchExpressions();
    return expressions.stream().allMatch(r -> switch (r.getOperator()) {
      case "In" -> r.getValues().contains(labels.get(r.getKey()));
      case "NotIn" -> !r.getValues().contains(labels.get(r.getKey()));
      case "Exists" -> labels.containsKey(r.getKey());
      case "DoesNotExist" -> !labels.containsKey(r.getKey());
      default -> throw new IllegalArgumentException("selector operator " + r.getOperator());
    });
  }

  /**
   * The environment the container would get: envFrom ConfigMaps and Secrets, then env values and references
   * (ConfigMaps from this rendering, Secrets from {@link #secrets}). A missing required reference is an error.
   */
  Map<String, String> environment(Container container) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
      if (from.getConfigMapRef() != null) {
        env.putAll(configMap(from.getConfigMapRef().getName()));
      }
      if (from.getSecretRef() != null) {
        env.putAll(secret(from.getSecretRef().getName()));
      }
    }
    for (EnvVar var : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
      String value = value(var);
      if (value != null) {
        env.put(var.getName(), value);
      }
    }
    return env;
  }

  private String value(EnvVar var) {
    if (var.getValueFrom() == null) {
      return var.getValue();
    }
    if (var.getValueFrom().getSecretKeyRef() != null) {
      var ref = var.getValueFrom().getSecretKeyRef();
      return required(secret(ref.getName()).get(ref.getKey()), ref.getOptional(), var.getName());
    }
    if (var.getValueFrom().getConfigMapKeyRef() != null) {
      var ref = var.getValueFrom().getConfigMapKeyRef();
      return required(configMap(ref.getName()).get(ref.getKey()), ref.getOptional(), var.getName());
    }
    throw new IllegalArgumentException(var.getName() + ": only secretKeyRef and configMapKeyRef are resolved");
  }

  private static String required(String value, Boolean optional, String variable) {
    if (value == null && !Boolean.TRUE.equals(optional)) {
      throw new IllegalStateException(variable + " refers to a key that does not exist");
    }
    return value;
  }

  Map<String, String> configMap(String name) {
    return all(ConfigMap.class).stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst()
      .map(c -> c.getData() == null ? Map.<String, String>of() : c.getData())
      .orElseThrow(() -> new IllegalStateException("ConfigMap " + name + " does not exist"));
  }

  private Map<String, String> secret(String name) {
    Map<String, String> values = secrets.get(name);
    if (values == null) {
      throw new IllegalStateException("Secret " + name + " is neither rendered nor documented");
    }
    return values;
  }
}
