package io.orchestrator.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.MappingIterator;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A stand-in for {@code kubectl kustomize} on machines without kubectl, for exactly the kustomization features
 * {@code deploy/kubernetes/} uses: {@code resources} (files and directories), {@code namespace}, {@code images}
 * (newName, newTag), {@code patches} given by {@code path} (strategic merge, one document each, {@code $patch:
 * delete} of a whole object), {@code secretGenerator} with {@code literals} under {@code generatorOptions:
 * disableNameSuffixHash: true}. Anything else fails with {@link UnsupportedOperationException} rather than render
 * something kubectl would render differently; {@code KubernetesManifestsTest} compares both renderings.
 */
final class KustomizeRenderer {

  private static final int LINE = 70;
  private static final YAMLMapper YAML = YAMLMapper.builder().build();
  private static final Set<String> FIELDS = Set.of("apiVersion", "kind", "namespace", "resources", "images",
    "patches", "secretGenerator", "generatorOptions");
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding",
    "CustomResourceDefinition", "PersistentVolume", "StorageClass", "PriorityClass");
  /** Strategic-merge keys of the lists a patch may touch; a patch on any other list is refused. */
  private static final Map<String, String> MERGE_KEYS = Map.of("containers", "name", "initContainers", "name",
    "env", "name", "volumes", "name", "volumeMounts", "mountPath");

  private KustomizeRenderer() {
  }

  /** The objects {@code kubectl kustomize dir} prints, as YAML trees (order not significant). */
  static List<Map<String, Object>> render(Path dir) {
    Map<String, Object> k = readKustomization(dir);
    List<Map<String, Object>> objects = new ArrayList<>();
    for (String resource : strings(k, "resources")) {
      if (resource.contains("://")) {
        throw new UnsupportedOperationException("remote resource " + resource);
      }
      Path path = dir.resolve(resource).normalize();
      objects.addAll(Files.isDirectory(path) ? render(path) : readDocuments(path));
    }
    objects.addAll(generateSecrets(k));
    for (Map<String, Object> patch : maps(k, "patches")) {
      only(patch, Set.of("path"), "patches entry");
      applyPatch(objects, single(readDocuments(dir.resolve((String) patch.get("path")))));
    }
    if (k.get("namespace") instanceof String namespace) {
      objects.forEach(o -> setNamespace(o, namespace));
    }
    for (Map<String, Object> image : maps(k, "images")) {
      only(image, Set.of("name", "newName", "newTag"), "images entry");
      objects.forEach(o -> retag(o, image));
    }
    return objects;
  }

  private static Map<String, Object> readKustomization(Path dir) {
    Map<String, Object> k = single(readDocuments(dir.resolve("kustomization.yaml")));
    only(k, FIELDS, "kustomization field in " + dir);
    if (k.containsKey("kind") && !"Kustomization".equals(k.get("kind"))) {
      throw new UnsupportedOperationException(dir + ": kind " + k.get("kind") + " (only Kustomization)");
    }
    return k;
  }

  static List<Map<String, Object>> readDocuments(Path file) {
    try (MappingIterator<Map<String, Object>> docs = YAML.readerFor(Map.class)
      .readValues(Files.readString(file, StandardCharsets.UTF_8))) {
      return docs.readAll().stream().filter(Objects::nonNull).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<Map<String, Object>> generateSecrets(Map<String, Object> k) {
    List<Map<String, Object>> generators = maps(k, "secretGenerator");
    if (generators.isEmpty()) {
      return List.of();
    }
    Map<String, Object> options = map(k.get("generatorOptions"));
    only(options, Set.of("disableNameSuffixHash"), "generatorOptions field");
    if (!Boolean.TRUE.equals(options.get("disableNameSuffixHash"))) {
      throw new UnsupportedOperationException("secretGenerator needs generatorOptions.disableNameSuffixHash: true "
        + "(name hashes and the references to them are not rendered)");
    }
    List<Map<String, Object>> secrets = new ArrayList<>();
    for (Map<String, Object> generator : generators) {
      only(generator, Set.of("name", "literals"), "secretGenerator field");
      Map<String, Object> data = new LinkedHashMap<>();
      for (String literal : strings(generator, "literals")) {
        int eq = literal.indexOf('=');
        data.put(literal.substring(0, eq), base64(literal.substring(eq + 1)));
      }
      Map<String, Object> secret = new LinkedHashMap<>();
      secret.put("apiVersion", "v1");
      secret.put("kind", "Secret");
      secret.put("metadata", new LinkedHashMap<>(Map.of("name", generator.get("name"))));
      secret.put("type", "Opaque");
      secret.put("data", data);
      secrets.add(secret);
    }
    return secrets;
  }

  /** As kustomize writes generated data: base64 in lines of 70, each ended by a newline once there are several. */
  private static String base64(String value) {
    String encoded = Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    if (encoded.length() < LINE) {
      return encoded;
    }
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < encoded.length(); i += LINE) {
      lines.append(encoded, i, Math.min(i + LINE, encoded.length())).append('\n');
    }
    return lines.toString();
  }

  private static void applyPatch(List<Map<String, Object>> objects, Map<String, Object> patch) {
    Map<String, Object> target = objects.stream()
      .filter(o -> Objects.equals(o.get("kind"), patch.get("kind")) && Objects.equals(name(o), name(patch)))
      .reduce((a, b) -> {
        throw new UnsupportedOperationException("patch matches several objects: " + name(patch));
      })
      .orElseThrow(() -> new IllegalStateException("patch target not found: " + patch.get("kind") + "/"
        + name(patch)));
    if ("delete".equals(patch.get("$patch"))) {
      objects.remove(target);
    } else {
      merge(target, patch);
    }
  }

  /** Strategic merge of {@code patch} into {@code target}: maps merge, null deletes, keyed lists merge by key. */
  @SuppressWarnings("unchecked")
  private static void merge(Map<String, Object> target, Map<String, Object> patch) {
    for (Map.Entry<String, Object> e : patch.entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (key.startsWith("$")) {
        throw new UnsupportedOperationException("patch directive " + key + " (only a whole-object $patch: delete)");
      } else if (value == null) {
        target.remove(key);
      } else if (value instanceof Map<?, ?> m && target.get(key) instanceof Map<?, ?> t) {
        merge((Map<String, Object>) t, (Map<String, Object>) m);
      } else if (value instanceof List<?> list) {
        target.put(key, mergeList(key, (List<Object>) target.get(key), list));
      } else {
        target.put(key, value);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Object> mergeList(String field, List<Object> target, List<?> patch) {
    String mergeKey = MERGE_KEYS.get(field);
    if (mergeKey == null) {
      throw new UnsupportedOperationException("patch on list '" + field + "': no merge key known to this renderer");
    }
    List<Object> merged = target == null ? new ArrayList<>() : new ArrayList<>(target);
    for (Object item : patch) {
      Map<String, Object> patchItem = (Map<String, Object>) item;
      merged.stream().map(o -> (Map<String, Object>) o)
        .filter(o -> Objects.equals(o.get(mergeKey), patchItem.get(mergeKey))).findFirst()
        .ifPresentOrElse(existing -> merge(existing, patchItem), () -> merged.add(patchItem));
    }
    return merged;
  }

  private static void setNamespace(Map<String, Object> object, String namespace) {
    if (CLUSTER_SCOPED.contains(object.get("kind"))) {
      throw new UnsupportedOperationException("namespace transformer on a cluster-scoped " + object.get("kind"));
    }
    Map<String, Object> metadata = map(object.get("metadata"));
    metadata.put("namespace", namespace);
    object.put("metadata", metadata);
  }

  /** The images transformer: every containers[]/initContainers[] image named {@code image.name}, at any depth. */
  @SuppressWarnings("unchecked")
  private static void retag(Object node, Map<String, Object> image) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
        if ((e.getKey().equals("containers") || e.getKey().equals("initContainers")) && e.getValue() instanceof List) {
          ((List<Map<String, Object>>) e.getValue()).forEach(c -> c.computeIfPresent("image",
            (k, v) -> replaceImage((String) v, image)));
        } else {
          retag(e.getValue(), image);
        }
      }
    } else if (node instanceof List<?> list) {
      list.forEach(item -> retag(item, image));
    }
  }

  private static String replaceImage(String reference, Map<String, Object> image) {
    if (reference.contains("@")) {
      throw new UnsupportedOperationException("image digests: " + reference);
    }
    int colon = reference.lastIndexOf(':');
    boolean tagged = colon > reference.lastIndexOf('/');
    String name = tagged ? reference.substring(0, colon) : reference;
    if (!name.equals(image.get("name"))) {
      return reference;
    }
    String newName = (String) image.getOrDefault("newName", name);
    Object newTag = image.get("newTag");
    return newTag != null ? newName + ":" + newTag : tagged ? newName + reference.substring(colon) : newName;
  }

  private static void only(Map<String, Object> map, Set<String> allowed, String what) {
    for (String key : map.keySet()) {
      if (!allowed.contains(key)) {
        throw new UnsupportedOperationException("unsupported " + what + ": " + key);
      }
    }
  }

  private static Map<String, Object> single(List<Map<String, Object>> documents) {
    if (documents.size() != 1) {
      throw new UnsupportedOperationException("expected one YAML document, found " + documents.size());
    }
    return documents.get(0);
  }

  private static Object name(Map<String, Object> object) {
    return map(object.get("metadata")).get("name");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value == null ? new LinkedHashMap<>() : (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> maps(Map<String, Object> k, String field) {
    return k.get(field) == null ? List.of() : (List<Map<String, Object>>) k.get(field);
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Map<String, Object> k, String field) {
    return k.get(field) == null ? List.of() : (List<String>) k.get(field);
  }
}
