package io.orchestrator.definitions;

/** A step of an orchestration's graph. Pure data: the engine walks it, the validator checks it. */
public sealed interface Step permits ComputeStep, DecisionStep, DelayStep {

  String id();

  String name();
}
