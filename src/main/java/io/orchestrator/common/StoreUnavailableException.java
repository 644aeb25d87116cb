package io.orchestrator.common;

/**
 * A store (PostgreSQL or Redis) could not serve a request: unreachable, restarting, loading its data, read-only,
 * busy or too slow to answer. Not a bug: the caller gets 503 {@code unavailable} with {@code Retry-After}, and the
 * engine retries the work once the store answers again.
 */
public final class StoreUnavailableException extends RuntimeException {

  private final String store;
  private final String reason;

  public StoreUnavailableException(String store, String reason) {
    super(store + " is unavailable: " + reason, null, false, false);
    this.store = store;
    this.reason = reason;
  }

  /** What the client said, e.g. "Connection refused" or "LOADING Redis is loading the dataset in memory". */
  public String reason() {
    return reason;
  }

  /** "PostgreSQL" or "Redis". */
  public String store() {
    return store;
  }
}
