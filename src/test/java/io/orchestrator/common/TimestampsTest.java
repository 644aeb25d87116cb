package io.orchestrator.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  private static final DateTimeFormatter REFERENCE =
    DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  @Test
  @DisplayName("the digit-by-digit format writes what the DateTimeFormatter writes, milliseconds truncated, "
    + "from 1970 to 9999, and the formatter's answer outside them")
  void sameAsTheFormatter() {
    SplittableRandom random = new SplittableRandom(42);
    for (int i = 0; i < 200_000; i++) {
      Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 260_000_000_000L),
        random.nextInt(1_000_000_000));
      assertThat(Timestamps.format(instant)).as(instant.toString()).isEqualTo(REFERENCE.format(instant));
    }
    for (String edge : new String[] {"1970-01-01T00:00:00Z", "1999-12-31T23:59:59.999999999Z",
      "2000-02-29T12:00:00.001Z", "2026-12-07T15:45:00.120Z", "9999-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z",
      "+10000-01-01T00:00:00Z"}) {
      Instant instant = Instant.parse(edge);
      assertThat(Timestamps.format(instant)).as(edge).isEqualTo(REFERENCE.format(instant));
      assertThat(Timestamps.formatMillis(instant.toEpochMilli())).as(edge)
        .isEqualTo(REFERENCE.format(Instant.ofEpochMilli(instant.toEpochMilli())));
    }
    assertThat(Timestamps.format(Instant.parse("2026-03-01T10:00:00.250Z"))).isEqualTo("2026-03-01T10:00:00.250Z");
    assertThat(Timestamps.format(null)).isNull();
  }
}
