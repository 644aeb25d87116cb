package io.orchestrator.triggers.http;

/**
 * Internal short-circuit carrying the reason a request fails before any MAC is computed (missing or
 * malformed header, stale timestamp). The message must never contain secret material.
 */
final class RejectedSignature extends Exception {

  RejectedSignature(String reason) {
    // No stack trace: this is expected control flow on the hot path of every bad request.
    super(reason, null, false, false);
  }
}
