package io.orchestrator.engine;

import static io.orchestrator.engine.JsonFixtures.arr;
import static io.orchestrator.engine.JsonFixtures.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PathResolver")
class PathResolverTest {

  private static final Map<String, Object> SCOPE = obj(
      "input", obj("a", obj("b", 1), "none", null, "list", arr("x", null), "keyed", obj("1", "one")),
      "steps", obj("s1", obj("output", arr(obj("id", 7)))));

  @Test
  @DisplayName("a found value is reported with its value")
  void foundValue() {
    assertThat(PathResolver.resolve(SCOPE, "input.a.b")).isEqualTo(PathLookup.of(1));
  }

  @Test
  @DisplayName("a key holding null is found with value null, unlike a missing key")
  void nullIsFound() {
    PathLookup nullValue = PathResolver.resolve(SCOPE, "input.none");
    PathLookup absent = PathResolver.resolve(SCOPE, "input.absent");
    assertThat(nullValue.found()).isTrue();
    assertThat(nullValue.value()).isNull();
    assertThat(absent.found()).isFalse();
    assertThat(absent).isEqualTo(PathLookup.missing()).isNotEqualTo(nullValue);
  }

  @Test
  @DisplayName("a null array element is found; an index past the end is missing")
  void nullElement() {
    assertThat(PathResolver.resolve(SCOPE, "input.list.1")).isEqualTo(PathLookup.of(null));
    assertThat(PathResolver.resolve(SCOPE, "input.list.2")).isEqualTo(PathLookup.missing());
  }

  @Test
  @DisplayName("a single segment resolves the whole subtree")
  void wholeValue() {
    assertThat(PathResolver.resolve(SCOPE, "input").value()).isSameAs(SCOPE.get("input"));
    assertThat(PathResolver.resolve(SCOPE, "steps.s1.output").value()).isEqualTo(arr(obj("id", 7)));
    assertThat(PathResolver.resolve(SCOPE, "steps.s1.output.0.id").value()).isEqualTo(7);
  }

  @Test
  @DisplayName("a numeric segment is a key on objects and an index on arrays")
  void numericSegments() {
    assertThat(PathResolver.resolve(SCOPE, "input.keyed.1").value()).isEqualTo("one");
    assertThat(PathResolver.resolve(SCOPE, "input.list.0").value()).isEqualTo("x");
    assertThat(PathResolver.resolve(SCOPE, "input.list.+0").found()).isFalse();
    assertThat(PathResolver.resolve(SCOPE, "input.list. 0").found()).isFalse();
  }

  @Test
  @DisplayName("a scalar or null root has no children")
  void scalarRoot() {
    assertThat(PathResolver.resolve("text", "x").found()).isFalse();
    assertThat(PathResolver.resolve(null, "x").found()).isFalse();
    assertThat(PathResolver.resolve(arr("only"), "0").value()).isEqualTo("only");
  }

  @Test
  @DisplayName("an empty key is only found where the object really has one")
  void emptyKey() {
    assertThat(PathResolver.resolve(obj("", obj("", 5)), ".").value()).isEqualTo(5);
    assertThat(PathResolver.resolve(SCOPE, "input.").found()).isFalse();
  }

  @Test
  @DisplayName("a missing lookup cannot carry a value")
  void missingHasNoValue() {
    assertThatIllegalArgumentException().isThrownBy(() -> new PathLookup(false, "x"));
  }
}
