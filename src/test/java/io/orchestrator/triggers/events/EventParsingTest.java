package io.orchestrator.triggers.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrator.common.ApiException;
import io.orchestrator.common.FieldError;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading events, matching triggers and building run inputs: pure, no servers. */
class EventParsingTest {

  private static JsonObject trigger(String eventType, String structureSlug) {
    JsonObject trigger = new JsonObject().put("type", "event-driven").put("eventType", eventType);
    return structureSlug == null ? trigger : trigger.put("structureSlug", structureSlug);
  }

  private static Event event(String eventType, String structureSlug) {
    JsonObject body = new JsonObject().put("eventType", eventType);
    if (structureSlug != null) {
      body.put("structureSlug", structureSlug);
    }
    return Event.fromJson("ws", body);
  }

  @ParameterizedTest(name = "trigger {0}/{1} vs event {2}/{3} → {4}")
  @CsvSource(nullValues = "-", value = {
    "record.created, orders,   record.created, orders,   true",
    "record.created, -,        record.created, orders,   true",
    "record.created, -,        record.created, -,        true",
    "record.created, orders,   record.created, -,        false",
    "record.created, orders,   record.created, invoices, false",
    "record.created, orders,   record.created, Orders,   false",
    "record.updated, -,        record.created, -,        false",
    "record.created, orders,   record.updated, orders,   false"})
  @DisplayName("a trigger matches on type, and on structureSlug only when it names one")
  void matching(String triggerType, String triggerSlug, String eventType, String eventSlug, boolean matches) {
    assertThat(EventService.matches(trigger(triggerType, triggerSlug), event(eventType, eventSlug)))
      .isEqualTo(matches);
  }

  @Test
  @DisplayName("input and triggerMetadata keep absent values as explicit nulls")
  void inputShape() {
    Event event = Event.fromJson("ws-1", new JsonObject().put("eventType", "records.bulk_created")
      .put("data", new JsonArray().add(1)));

    assertThat(EventService.input(event)).isEqualTo(new JsonObject().put("event", "records_bulk_created")
      .put("workspaceSlug", "ws-1").putNull("recordSlug").putNull("recordId").put("data", new JsonArray().add(1)));
    assertThat(EventService.triggerMetadata(event, "e1")).isEqualTo(new JsonObject()
      .put("eventType", "records.bulk_created").putNull("recordId").put("eventId", "e1"));
  }

  @Test
  @DisplayName("every bad field of an event is reported at once")
  void allProblems() {
    JsonObject body = new JsonObject().put("eventType", "record.nope").put("structureSlug", 1)
      .put("recordId", "").put("eventId", "x".repeat(256));

    assertThatThrownBy(() -> Event.fromJson("ws", body)).isInstanceOfSatisfying(ApiException.class, e ->
      assertThat(e.details()).extracting(FieldError::field)
        .containsExactly("eventType", "structureSlug", "recordId", "eventId"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"eventType\":\"record.created\"}", "{\"workspaceSlug\":\"\",\"eventType\":\"record.created\"}",
    "{\"workspaceSlug\":\"a/b\",\"eventType\":\"record.created\"}", "{\"workspaceSlug\":7,\"eventType\":\"record.created\"}"})
  @DisplayName("a stream event must name a valid workspaceSlug")
  void streamWorkspace(String json) {
    assertThatThrownBy(() -> Event.fromStreamJson(new JsonObject(json))).isInstanceOfSatisfying(ApiException.class,
      e -> assertThat(e.details()).extracting(FieldError::field).containsExactly("workspaceSlug"));
  }

  @Test
  @DisplayName("a stream entry without eventId is identified by its entry id; one with an eventId keeps it")
  void streamEventIds() {
    JsonObject json = new JsonObject().put("workspaceSlug", "ws").put("eventType", "record.deleted");

    assertThat(EventConsumer.parse(new EventStream.Entry("17-0", json.encode())).eventId()).isEqualTo("evt_17-0");
    assertThat(EventConsumer.parse(new EventStream.Entry("17-1", json.copy().put("eventId", "mine").encode()))
      .eventId()).isEqualTo("mine");
  }

  @Test
  @DisplayName("stream entries that are not a JSON object, or have no event field, are rejected as malformed")
  void malformedEntries() {
    assertThatThrownBy(() -> EventConsumer.parse(new EventStream.Entry("1-0", null)))
      .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> EventConsumer.parse(new EventStream.Entry("1-0", "[1]")))
      .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> EventConsumer.parse(new EventStream.Entry("1-0", "\"text\"")))
      .isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> EventConsumer.parse(new EventStream.Entry("1-0", "{")))
      .isInstanceOf(DecodeException.class);
  }

  @Test
  @DisplayName("every supported type round-trips its wire name, and its input name replaces '.' with '_'")
  void eventTypes() {
    assertThat(EventType.wireNames()).containsExactly("record.created", "record.updated", "record.deleted",
      "record.restored", "records.bulk_created");
    for (EventType type : EventType.values()) {
      assertThat(EventType.fromWire(type.wire())).contains(type);
      assertThat(type.inputName()).isEqualTo(type.wire().replace('.', '_'));
    }
  }
}
