package io.orchestrator.schedule;

import java.time.ZoneId;

/** The time zone a cron schedule is read in: a region id of the IANA time zone database. */
public final class Timezone {

  /** The zone of a cron schedule that names none. */
  public static final String DEFAULT = "UTC";
  static final String FIELD = "timezone";

  private Timezone() {
  }

  /**
   * The zone of region id {@code id} ("Europe/Paris", "UTC"). Fixed offsets ("+05:00", "GMT+5") are refused: they
   * silently ignore the DST the user usually means.
   *
   * @throws InvalidScheduleException for {@code timezone} when {@code id} is no such region id
   */
  public static ZoneId parse(String id) {
    if (id == null || !ZoneId.getAvailableZoneIds().contains(id)) {
      throw new InvalidScheduleException(FIELD, "must be an IANA time zone id, e.g. America/New_York");
    }
    return ZoneId.of(id);
  }
}
