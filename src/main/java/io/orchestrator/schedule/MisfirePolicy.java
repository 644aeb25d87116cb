package io.orchestrator.schedule;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What a schedule does with the fires it missed while the service was down, with the wire names of the API. */
public enum MisfirePolicy {
  /** Fire once now for all the missed fires together, then resume at the next future fire. */
  FIRE_ONCE("fire-once"),
  /** Drop the missed fires and resume at the next future fire. */
  SKIP("skip");

  /** The policy of a schedule that names none. */
  public static final MisfirePolicy DEFAULT = FIRE_ONCE;

  private final String wireName;

  MisfirePolicy(String wireName) {
    this.wireName = wireName;
  }

  /** The name in JSON, e.g. {@code fire-once}. */
  public String wireName() {
    return wireName;
  }

  /** Every policy's wire name, in declaration order: the values the API accepts for {@code misfirePolicy}. */
  public static List<String> wireNames() {
    return Arrays.stream(values()).map(MisfirePolicy::wireName).toList();
  }

  /** The policy whose wire name is exactly {@code name}, or empty. */
  public static Optional<MisfirePolicy> fromWire(String name) {
    return Arrays.stream(values()).filter(policy -> policy.wireName.equals(name)).findFirst();
  }
}
