package io.orchestrator.tracing;

/**
 * Where the engine's spans go (run, step, attempt): {@link #NONE} unless {@code OTEL_EXPORTER_OTLP_ENDPOINT} is
 * set, so that without an exporter nothing is recorded, allocated or sent. Ids are W3C hex: callers choose the span
 * ids they need to know (a run's is derived from its id, an attempt's is the one its function receives), so a span
 * started on one instance can be the parent of one started on another.
 */
public interface Spans {

  /** What a span stands for, in OpenTelemetry's terms. */
  enum Kind { INTERNAL, CLIENT, PRODUCER }

  /**
   * Starts a span.
   *
   * @param trace        the run's trace context (trace id, flags, tracestate)
   * @param spanId       16 hex digits, or null for a random one
   * @param parentSpanId the parent's span id, or null for a span whose parent is the trace's caller (a run's
   *                     span: the caller's span of its {@code traceparent}, or none)
   * @param startMs      start in epoch ms, or 0 for now
   */
  Span start(String name, Kind kind, RunTrace trace, String spanId, String parentSpanId, long startMs);

  /** One span being recorded; attributes and end are no-ops on {@link #NONE}'s spans. */
  interface Span {

    /** Its span id; null on {@link #NONE}'s spans. */
    String spanId();

    Span set(String key, String value);

    Span set(String key, long value);

    /** Ends it now. */
    void end();

    /** Ends it at {@code endMs} (epoch ms). */
    void end(long endMs);
  }

  /**
   * False only for {@link #NONE}: callers skip building names and attributes of spans that go nowhere, so without
   * an exporter a step costs no more than before.
   */
  default boolean enabled() {
    return true;
  }

  /** Records nothing. */
  Spans NONE = new Spans() {
    @Override
    public Span start(String name, Kind kind, RunTrace trace, String spanId, String parentSpanId, long startMs) {
      return NoSpan.INSTANCE;
    }

    @Override
    public boolean enabled() {
      return false;
    }
  };

  /** Releases the exporter after sending what is buffered (bounded); nothing to do for {@link #NONE}. */
  default void close() {
  }

  /** The span of {@link #NONE}. */
  enum NoSpan implements Span {
    INSTANCE;

    @Override
    public String spanId() {
      return null;
    }

    @Override
    public Span set(String key, String value) {
      return this;
    }

    @Override
    public Span set(String key, long value) {
      return this;
    }

    @Override
    public void end() {
    }

    @Override
    public void end(long endMs) {
    }
  }
}
