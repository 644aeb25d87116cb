package io.orchestrator.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.TraceStateBuilder;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.orchestrator.config.AppConfig;
import java.util.concurrent.TimeUnit;

/**
 * {@link Spans} exported with the OpenTelemetry SDK over OTLP/HTTP (protobuf) to {@code OTEL_EXPORTER_OTLP_ENDPOINT};
 * built only when that is set. The SDK's {@link BatchSpanProcessor} queues ended spans and exports them on its own
 * thread, so no event loop waits for the collector (a full queue drops spans, it never blocks). Sampling is the
 * SDK's default: everything, unless the caller's {@code traceparent} said "not sampled". The one class that uses
 * the SDK.
 */
public final class OtelSpans implements Spans {

  private static final String SCOPE = "io.orchestrator";

  private final SdkTracerProvider provider;
  private final Tracer tracer;

  private OtelSpans(SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer = provider.get(SCOPE);
  }

  /** The exporter of {@code config}, or {@link Spans#NONE} when no endpoint is configured. */
  public static Spans create(AppConfig.Tracing config) {
    if (config == null || config.tracesEndpoint() == null) {
      return NONE;
    }
    OtlpHttpSpanExporterBuilder exporter = OtlpHttpSpanExporter.builder().setEndpoint(config.tracesEndpoint());
    config.headers().forEach(exporter::addHeader);
    return new OtelSpans(SdkTracerProvider.builder()
      .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), config.serviceName()))))
      .setIdGenerator(ChosenIds.INSTANCE)
      .addSpanProcessor(BatchSpanProcessor.builder(exporter.build()).build())
      .build());
  }

  @Override
  public Span start(String name, Kind kind, RunTrace trace, String spanId, String parentSpanId, long startMs) {
    SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind(kind));
    if (startMs > 0) {
      builder.setStartTimestamp(startMs, TimeUnit.MILLISECONDS);
    }
    String parent = parentSpanId != null ? parentSpanId : trace.callerSpanId();
    if (parent == null) {
      builder.setNoParent();
    } else {
      builder.setParent(Context.root().with(io.opentelemetry.api.trace.Span.wrap(SpanContext.createFromRemoteParent(
        trace.traceId(), parent, TraceFlags.fromByte((byte) trace.flags()), traceState(trace.traceState())))));
    }
    ChosenIds.choose(trace.traceId(), spanId);
    try {
      return new Recording(builder.startSpan());
    } finally {
      ChosenIds.choose(null, null);
    }
  }

  /** Flushes what is queued and stops the exporter's thread; does not wait for the collector. */
  @Override
  public void close() {
    provider.shutdown();
  }

  private static SpanKind kind(Kind kind) {
    return switch (kind) {
      case CLIENT -> SpanKind.CLIENT;
      case PRODUCER -> SpanKind.PRODUCER;
      default -> SpanKind.INTERNAL;
    };
  }

  /** {@code k1=v1,k2=v2} in its order; members the SDK finds invalid are left out. */
  private static TraceState traceState(String header) {
    if (header == null) {
      return TraceState.getDefault();
    }
    String[] members = header.split(",");
    TraceStateBuilder builder = TraceState.builder();
    for (int i = members.length - 1; i >= 0; i--) {
      String member = members[i].trim();
      int eq = member.indexOf('=');
      if (eq > 0) {
        builder.put(member.substring(0, eq), member.substring(eq + 1));
      }
    }
    return builder.build();
  }

  /** A started SDK span. */
  private record Recording(io.opentelemetry.api.trace.Span span) implements Span {

    @Override
    public String spanId() {
      return span.getSpanContext().getSpanId();
    }

    @Override
    public Span set(String key, String value) {
      if (value != null) {
        span.setAttribute(key, value);
      }
      return this;
    }

    @Override
    public Span set(String key, long value) {
      span.setAttribute(key, value);
      return this;
    }

    @Override
    public void end() {
      span.end();
    }

    @Override
    public void end(long endMs) {
      span.end(endMs, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Ids for the span being started on this thread: the chosen ones when set (the SDK asks for a trace id only for a
   * span without parent), else random. The SDK calls its generator inside {@code startSpan}, on the caller's thread.
   */
  private enum ChosenIds implements IdGenerator {
    INSTANCE;

    private static final ThreadLocal<String[]> CHOSEN = new ThreadLocal<>();

    static void choose(String traceId, String spanId) {
      if (traceId == null && spanId == null) {
        CHOSEN.remove();
      } else {
        CHOSEN.set(new String[] {traceId, spanId});
      }
    }

    @Override
    public String generateSpanId() {
      String[] chosen = CHOSEN.get();
      return chosen != null && chosen[1] != null ? chosen[1] : IdGenerator.random().generateSpanId();
    }

    @Override
    public String generateTraceId() {
      String[] chosen = CHOSEN.get();
      return chosen != null && chosen[0] != null ? chosen[0] : IdGenerator.random().generateTraceId();
    }
  }
}
