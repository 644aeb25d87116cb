package io.orchestrator.runs;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The correlation id a run gets when its trigger names none: {@code corr_} + the run id's own characters, so it is
 * new per run, sorts as the run does, and finds its run without an index entry (Redis keeps an index only of the
 * correlation ids callers give, which several runs may share).
 */
public final class Correlation {

  private static final String PREFIX = "corr_";
  private static final Pattern DEFAULT = Pattern.compile("corr_[0-9a-z]{26}");

  private Correlation() {
  }

  /** The default correlation id of run {@code runId} ({@code run_…}). */
  public static String defaultFor(String runId) {
    return PREFIX + runId.substring(runId.indexOf('_') + 1);
  }

  /** Whether {@code correlationId} is the default one of run {@code runId} (so it has no index entry). */
  public static boolean isDefault(String runId, String correlationId) {
    return correlationId != null && correlationId.equals(defaultFor(runId));
  }

  /** The run whose default correlation id {@code correlationId} would be, when it has that shape. */
  public static Optional<String> runOf(String correlationId) {
    return DEFAULT.matcher(correlationId).matches()
      ? Optional.of("run_" + correlationId.substring(PREFIX.length())) : Optional.empty();
  }
}
