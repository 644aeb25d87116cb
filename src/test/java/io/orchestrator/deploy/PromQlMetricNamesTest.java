package io.orchestrator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PromQlMetricNames: the series names a PromQL expression selects")
class PromQlMetricNamesTest {

  @Test
  @DisplayName("a bare name, and one with label matchers, are found as written")
  void bareNames() {
    assertThat(PromQlMetricNames.of("orchestrator_queue_ready")).containsExactly("orchestrator_queue_ready");
    assertThat(PromQlMetricNames.of("up{job=\"orchestrator\"} == 0")).containsExactly("up");
  }

  @Test
  @DisplayName("histogram_quantile over sum by (le, operation) of a rate keeps the _bucket series, not le or the function")
  void histogramQuantile() {
    assertThat(PromQlMetricNames.of(
      "histogram_quantile(0.99, sum by (le, operation) (rate(http_server_requests_seconds_bucket[5m])))"))
      .containsExactly("http_server_requests_seconds_bucket");
    assertThat(PromQlMetricNames.of(
      "histogram_quantile(0.5, sum(rate(orchestrator_step_duration_seconds_bucket{type=~\"comp.*\"}"
        + "[$__rate_interval])) by (le, type))"))
      .containsExactly("orchestrator_step_duration_seconds_bucket");
  }

  @Test
  @DisplayName("regex label matchers with braces, brackets, quotes and keywords inside strings are skipped")
  void labelMatchers() {
    assertThat(PromQlMetricNames.of(
      "sum by (operation) (rate(http_server_requests_seconds_count{status=~\"5..\", operation!~\"a{2}|b[c] and or\","
        + " job='x\\'y', instance=~\"$instance\"}[5m]))"))
      .containsExactly("http_server_requests_seconds_count");
  }

  @Test
  @DisplayName("and on(), ignoring(...), group_left(...) and bool: both operands, no label names or keywords")
  void vectorMatching() {
    assertThat(PromQlMetricNames.of(
      "max(orchestrator_queue_ready) > 100 and on() max(deriv(orchestrator_queue_unarchived[10m])) > bool 0"))
      .containsExactly("orchestrator_queue_ready", "orchestrator_queue_unarchived");
    assertThat(PromQlMetricNames.of(
      "a_total / ignoring(status) group_left(operation) b_total unless on (job) c_total or d_total atan2 e"))
      .containsExactly("a_total", "b_total", "c_total", "d_total", "e");
  }

  @Test
  @DisplayName("offset and @ modifiers, subqueries, durations and numbers are not names")
  void modifiers() {
    assertThat(PromQlMetricNames.of(
      "rate(orchestrator_runs_started_total[5m] offset 1h30m) - rate(orchestrator_runs_started_total[5m] @ 1609746000)"))
      .containsExactly("orchestrator_runs_started_total");
    assertThat(PromQlMetricNames.of("max_over_time(deriv(x_gauge[5m])[1h:1m]) * 1e3 + 0x1f - .5 > Inf"))
      .containsExactly("x_gauge");
    assertThat(PromQlMetricNames.of("rate(y_total[5m] OFFSET -5m) @ start()")).containsExactly("y_total");
  }

  @Test
  @DisplayName("functions with string arguments, comments and Grafana variables leave only the selected series")
  void stringsCommentsVariables() {
    assertThat(PromQlMetricNames.of(
      "label_replace(orchestrator_tasks_queued, \"q\", \"$1\", \"queue\", \"(.*)\") # count by (x) not_a_metric\n"
        + "+ topk($limit, orchestrator_tasks_oldest_age_seconds)"))
      .containsExactly("orchestrator_tasks_queued", "orchestrator_tasks_oldest_age_seconds");
    assertThat(PromQlMetricNames.of("absent(up{job=\"orchestrator\"})")).containsExactly("up");
    assertThat(PromQlMetricNames.of("vector(1)")).isEmpty();
  }

  @Test
  @DisplayName("an aggregation with its modifier after the call, without(), and recording-rule style names with colons")
  void aggregationsAndColons() {
    assertThat(PromQlMetricNames.of("sum without () (job:requests:rate5m) / count(z) without (instance)"))
      .containsExactly("job:requests:rate5m", "z");
  }
}
