package io.orchestrator.deploy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The fields of a parsed object that the Kubernetes model does not know: fabric8 accepts any field and keeps the
 * unknown ones in each model object's {@code additionalProperties}, so a misspelt {@code livenesProbe} would parse
 * silently. Walks every model object reachable through getters. Objects of kinds the model does not know
 * (GenericKubernetesResource) are skipped: their whole content is "additional" and has its own checks.
 */
final class UnknownFields {

  private static final String ADDITIONAL = "getAdditionalProperties";

  private UnknownFields() {
  }

  static List<String> of(HasMetadata object) {
    List<String> found = new ArrayList<>();
    if (!(object instanceof GenericKubernetesResource)) {
      walk(object, "", found);
    }
    return found.stream().map(path -> Rendering.id(object) + ": unknown field " + path).toList();
  }

  private static void walk(Object node, String path, List<String> found) {
    if (node instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        walk(list.get(i), path + "[" + i + "]", found);
      }
    } else if (node instanceof Map<?, ?> map) {
      map.forEach((key, value) -> walk(value, path + "." + key, found));
    } else if (node != null && node.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      for (Method getter : node.getClass().getMethods()) {
        if (getter.getParameterCount() == 0 && getter.getName().startsWith("get")
          && getter.getDeclaringClass() != Object.class) {
          Object value = call(getter, node);
          if (getter.getName().equals(ADDITIONAL)) {
            ((Map<?, ?>) value).keySet().forEach(key -> found.add(path + "." + key));
          } else {
            walk(value, path + "." + property(getter), found);
          }
        }
      }
    }
  }

  private static Object call(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException(getter + ": " + e.getMessage(), e);
    }
  }

  private static String property(Method getter) {
    String name = getter.getName().substring(3);
    return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
