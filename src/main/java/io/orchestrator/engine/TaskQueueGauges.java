package io.orchestrator.engine;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.orchestrator.tasks.QueueStat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Worker-task queue depth and oldest task age per workspace and queue, as sampled by the maintenance loop. */
final class TaskQueueGauges {

  private final MeterRegistry registry;
  private final Map<String, QueueStat> latest = new ConcurrentHashMap<>();

  TaskQueueGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  void update(List<QueueStat> stats) {
    for (QueueStat stat : stats) {
      String key = stat.workspace() + " " + stat.queue();
      if (latest.put(key, stat) == null) {
        Tags tags = Tags.of("workspace", stat.workspace(), "queue", stat.queue());
        Gauge.builder("orchestrator.tasks.queued", latest, m -> m.get(key).depth()).tags(tags).register(registry);
        Gauge.builder("orchestrator.tasks.oldest.age.seconds", latest, m -> m.get(key).oldestAgeMs() / 1000.0)
          .tags(tags).register(registry);
      }
    }
  }
}
