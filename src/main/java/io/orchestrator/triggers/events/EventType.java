package io.orchestrator.triggers.events;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The record events an event-driven trigger can listen for (the API reference's "Supported Event Types"). */
public enum EventType {
  RECORD_CREATED("record.created"),
  RECORD_UPDATED("record.updated"),
  RECORD_DELETED("record.deleted"),
  RECORD_RESTORED("record.restored"),
  RECORDS_BULK_CREATED("records.bulk_created");

  private final String wire;

  EventType(String wire) {
    this.wire = wire;
  }

  /** The spelling of triggers and event bodies, e.g. {@code record.created}. */
  public String wire() {
    return wire;
  }

  /** The run input's {@code event} value: the wire name with "." replaced by "_", e.g. {@code record_created}. */
  public String inputName() {
    return wire.replace('.', '_');
  }

  public static Optional<EventType> fromWire(String wire) {
    return Arrays.stream(values()).filter(type -> type.wire.equals(wire)).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(EventType::wire).toList();
  }
}
