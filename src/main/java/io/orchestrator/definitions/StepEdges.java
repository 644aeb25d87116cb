package io.orchestrator.definitions;

import java.util.ArrayList;
import java.util.List;

/**
 * The step ids one step can go to. {@code complete} is false when some target could not be read (wrong type,
 * unknown id, unknown step type): reachability is then unknowable past this step, so it is not reported.
 */
final class StepEdges {

  private final List<String> targets = new ArrayList<>();
  private boolean complete = true;

  static StepEdges unknown() {
    StepEdges edges = new StepEdges();
    edges.markIncomplete();
    return edges;
  }

  void add(String target) {
    targets.add(target);
  }

  void markIncomplete() {
    complete = false;
  }

  List<String> targets() {
    return targets;
  }

  boolean complete() {
    return complete;
  }
}
