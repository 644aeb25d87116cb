package io.orchestrator.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.Page;
import io.orchestrator.common.PageRequest;
import io.orchestrator.fixtures.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("OrchestrationService versions: which orchestration a ref names, and which 404")
class OrchestrationVersionsTest {

  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  private final Versions store = new Versions();
  private final OrchestrationService service = new OrchestrationService(store, null, null, null,
    new ManualClock(T0));

  private void save(String workspace, String id, String slug, int versions) {
    for (int v = 1; v <= versions; v++) {
      store.rows.add(new Orchestration(id, workspace, slug, "v" + v, null, v, true,
        new JsonObject().put("type", "on-demand"), new JsonArray(), T0, T0.plusSeconds(v), "u", "u"));
    }
  }

  @Test
  @DisplayName("a slug names the live orchestration; its versions come newest first with the exact total")
  void bySlug() {
    save("acme", "orch_a", "orders", 3);

    Page<Orchestration> page = await(service.versions("acme", "orders", 1, 2));

    assertThat(page.items()).extracting(Orchestration::version).containsExactly(3, 2);
    assertThat(page.total()).isEqualTo(3);
    assertThat(await(service.version("acme", "orders", 2)).name()).isEqualTo("v2");
  }

  @Test
  @DisplayName("an orch_ id names a deleted orchestration too; its slug then names nothing")
  void deletedById() {
    save("acme", "orch_a", "orders", 2);
    store.deleted.add("orch_a");

    assertThat(await(service.versions("acme", "orch_a", 1, 20)).items()).hasSize(2);
    assertThat(await(service.version("acme", "orch_a", 1)).version()).isEqualTo(1);
    assertThat(failure(service.versions("acme", "orders", 1, 20)).getMessage()).isEqualTo("Orchestration not found");
    assertThat(failure(service.version("acme", "orders", 1)).getMessage()).isEqualTo("Orchestration not found");
  }

  @Test
  @DisplayName("another workspace's id or slug is not found, like an unknown one")
  void otherWorkspace() {
    save("acme", "orch_a", "orders", 2);

    for (String ref : List.of("orch_a", "orders", "orch_unknown")) {
      assertThat(failure(service.versions("other", ref, 1, 20)).status()).isEqualTo(404);
      assertThat(failure(service.version("other", ref, 2)).getMessage()).isEqualTo("Orchestration not found");
    }
  }

  @Test
  @DisplayName("a version the orchestration never had is a 404 that says so")
  void unknownVersion() {
    save("acme", "orch_a", "orders", 2);

    ApiException missing = failure(service.version("acme", "orders", 3));

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.getMessage()).isEqualTo("Orchestration orders has no version 3");
  }

  private static <T> T await(Future<T> future) {
    assertThat(future.succeeded()).as(String.valueOf(future.cause())).isTrue();
    return future.result();
  }

  private static ApiException failure(Future<?> future) {
    assertThat(future.failed()).as("expected a failure, got " + future.result()).isTrue();
    return (ApiException) future.cause();
  }

  /** Every version of every orchestration as rows; {@code deleted} ids are invisible to {@link #find}. */
  private static final class Versions implements OrchestrationStore {

    final List<Orchestration> rows = new ArrayList<>();
    final Set<String> deleted = new HashSet<>();

    @Override
    public Future<Optional<Orchestration>> find(String workspace, String ref) {
      return Future.succeededFuture(rows.stream().filter(o -> o.workspace().equals(workspace)
          && !deleted.contains(o.id()) && (o.id().equals(ref) || o.slug().equals(ref)))
        .max(Comparator.comparingInt(Orchestration::version)));
    }

    @Override
    public Future<Optional<Orchestration>> findVersion(String workspace, String id, int version) {
      return Future.succeededFuture(rows.stream().filter(o -> o.workspace().equals(workspace) && o.id().equals(id)
        && o.version() == version).findFirst());
    }

    @Override
    public Future<Optional<Page<Orchestration>>> listVersions(String workspace, String id, int page, int pageSize) {
      List<Orchestration> all = rows.stream().filter(o -> o.workspace().equals(workspace) && o.id().equals(id))
        .sorted(Comparator.comparingInt(Orchestration::version).reversed()).toList();
      return Future.succeededFuture(all.isEmpty() ? Optional.empty() : Optional.of(new Page<>(all.stream()
        .skip((long) (page - 1) * pageSize).limit(pageSize).toList(), all.size(), page, pageSize)));
    }

    @Override
    public Future<Orchestration> insert(String workspace, String id, String slug, OrchestrationDraft draft,
                                        String actor, Instant now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Page<Orchestration>> list(String workspace, PageRequest request) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Orchestration> update(String workspace, String ref, Set<Integer> acceptedVersions,
                                        OrchestrationDraft draft, String actor, Instant now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Boolean> delete(String workspace, String ref, Instant now) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<Orchestration>> activeByTriggerType(String workspace, String triggerType) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Optional<Orchestration>> findByHttpPath(String workspace, String path) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<Orchestration>> allActiveScheduled() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<List<Orchestration>> findLiveByIds(Set<String> ids) {
      throw new UnsupportedOperationException();
    }
  }
}
