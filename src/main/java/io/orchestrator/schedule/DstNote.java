package io.orchestrator.schedule;

/** Why a cron fire is not simply its wall-clock time read in the zone (DESIGN.md §7), with the API's wire names. */
public enum DstNote {
  /**
   * The wall-clock time does not exist (spring forward): the fire is at the instant the gap ends. Several times of
   * one gap, and a real time at the gap's end, are one fire.
   */
  GAP("dst-gap"),
  /** The wall-clock time occurs twice (fall back): this fire is its first occurrence, and the second has none. */
  OVERLAP("dst-overlap");

  private final String wireName;

  DstNote(String wireName) {
    this.wireName = wireName;
  }

  /** The name in JSON, e.g. {@code dst-gap}. */
  public String wireName() {
    return wireName;
  }
}
