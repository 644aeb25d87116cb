package io.orchestrator.common;

/** Which page the client asked for; {@code sort} is already one of the whitelisted fields. */
public record PageRequest(int page, int pageSize, String sort, boolean ascending) {

  public int offset() {
    return (page - 1) * pageSize;
  }
}
