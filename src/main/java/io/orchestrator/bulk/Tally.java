package io.orchestrator.bulk;

import java.util.List;

/** Outcomes counted: what one batch adds to its operation's counters. */
public record Tally(int succeeded, int skipped, int failed) {

  public static final Tally NONE = new Tally(0, 0, 0);

  public static Tally of(List<Outcome> outcomes) {
    int succeeded = 0;
    int skipped = 0;
    int failed = 0;
    for (Outcome outcome : outcomes) {
      switch (outcome) {
        case SUCCEEDED -> succeeded++;
        case SKIPPED -> skipped++;
        case FAILED -> failed++;
      }
    }
    return new Tally(succeeded, skipped, failed);
  }

  public int total() {
    return succeeded + skipped + failed;
  }
}
