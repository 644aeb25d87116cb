package io.orchestrator.functions;

import io.vertx.core.Future;

/** Runs one attempt of a function. The future never fails: every problem is an {@link InvocationResult.Failure}. */
public interface FunctionInvoker {

  Future<InvocationResult> invoke(FunctionCall call);
}
