package io.orchestrator.bulk;

import java.util.Arrays;
import java.util.Optional;

/** What a bulk operation does to each run it matched. */
public enum BulkAction {
  CANCEL, REDRIVE, REPLAY;

  public String wire() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** @return the action of that wire name, empty for any other text */
  public static Optional<BulkAction> fromWire(String wire) {
    return Arrays.stream(values()).filter(a -> a.wire().equals(wire)).findFirst();
  }
}
