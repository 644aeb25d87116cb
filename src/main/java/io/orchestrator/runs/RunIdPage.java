package io.orchestrator.runs;

import java.util.List;

/**
 * One page of run ids, newest first.
 *
 * @param total exact number of runs matching the filter (all pages)
 */
public record RunIdPage(List<String> ids, long total) {

  public RunIdPage {
    ids = List.copyOf(ids);
  }
}
