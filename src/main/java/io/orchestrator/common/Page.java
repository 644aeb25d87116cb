package io.orchestrator.common;

import java.util.List;
import java.util.function.Function;

/** One page of a list with the exact total across all pages. {@code page} counts from 1. */
public record Page<T>(List<T> items, long total, int page, int pageSize) {

  public <R> Page<R> map(Function<T, R> mapper) {
    return new Page<>(items.stream().map(mapper).toList(), total, page, pageSize);
  }

  public int offset() {
    return (page - 1) * pageSize;
  }
}
