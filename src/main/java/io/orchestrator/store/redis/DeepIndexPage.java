package io.orchestrator.store.redis;

import io.orchestrator.runs.RunIdPage;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A page far from the top of an index split over partitions (or a long one), found without reading every
 * partition's first offset + count entries (which grows with the offset times the partitions: 16 partitions at
 * offset 100,000 would send 1.6 million entries). The scores of the entries at the page's first and last rank are found by binary search
 * on the summed {@code ZCOUNT}s (one round of counts per step, about 45 steps for millisecond scores), then only the
 * entries between those two scores are read and merged. Equal scores are ordered by id, descending, as one index
 * would answer.
 */
final class DeepIndexPage {

  private final Redis redis;
  private final List<String> indexes;
  private final String min;
  private final String max;
  private final Comparator<Map.Entry<String, Long>> order;

  /**
   * @param indexes one index key per partition
   * @param min     the range's lower bound as ZCOUNT takes it (inclusive)
   * @param max     its upper bound ({@code +inf}, a score, or {@code (score} exclusive)
   */
  DeepIndexPage(Redis redis, List<String> indexes, String min, String max,
                Comparator<Map.Entry<String, Long>> newestFirst) {
    this.redis = redis;
    this.indexes = indexes;
    this.min = min;
    this.max = max;
    this.order = newestFirst;
  }

  Future<RunIdPage> find(int offset, int count) {
    return sum(index -> Request.cmd(Command.ZCOUNT).arg(index).arg(min).arg(max)).compose(total -> {
      if (offset >= total) {
        return Future.succeededFuture(new RunIdPage(List.of(), total));
      }
      long lastRank = Math.min(total, (long) offset + count) - 1;
      return edges().compose(edges -> scoreAt(offset, edges[0], edges[1])
        .compose(top -> scoreAt(lastRank, edges[0], top)
          .compose(bottom -> above(top).compose(above -> between(bottom, top)
            .map(entries -> {
              entries.sort(order);
              int skip = (int) (offset - above);
              List<String> ids = entries.subList(Math.min(skip, entries.size()),
                Math.min(entries.size(), skip + count)).stream().map(Map.Entry::getKey).toList();
              return new RunIdPage(ids, total);
            })))));
    });
  }

  /** The lowest and highest score in the range over every partition. */
  private Future<long[]> edges() {
    Future<List<Optional<Long>>> lows = each(index -> redis.send(Request.cmd(Command.ZRANGEBYSCORE).arg(index)
      .arg(min).arg(max).arg("WITHSCORES").arg("LIMIT").arg(0).arg(1)).map(Fanout::firstScore));
    Future<List<Optional<Long>>> highs = each(index -> redis.send(Request.cmd(Command.ZREVRANGEBYSCORE).arg(index)
      .arg(max).arg(min).arg("WITHSCORES").arg("LIMIT").arg(0).arg(1)).map(Fanout::firstScore));
    return Future.all(lows, highs).map(v -> new long[] {
      lows.result().stream().flatMap(Optional::stream).min(Long::compare).orElse(0L),
      highs.result().stream().flatMap(Optional::stream).max(Long::compare).orElse(0L)});
  }

  /** The score of the entry at {@code rank} (0: the highest): the highest score s with more than rank entries >= s. */
  private Future<Long> scoreAt(long rank, long low, long high) {
    if (low >= high) {
      return Future.succeededFuture(low);
    }
    long mid = low + (high - low + 1) / 2;
    return atLeast(mid).compose(count -> count > rank ? scoreAt(rank, mid, high) : scoreAt(rank, low, mid - 1));
  }

  private Future<Long> atLeast(long score) {
    return sum(index -> Request.cmd(Command.ZCOUNT).arg(index).arg(score).arg(max));
  }

  /** How many entries score above {@code score}. */
  private Future<Long> above(long score) {
    return sum(index -> Request.cmd(Command.ZCOUNT).arg(index).arg("(" + score).arg(max));
  }

  private Future<List<Map.Entry<String, Long>>> between(long low, long high) {
    return each(index -> redis.send(Request.cmd(Command.ZREVRANGEBYSCORE).arg(index).arg(high).arg(low)
        .arg("WITHSCORES")).map(Fanout::scored))
      .map(parts -> {
        List<Map.Entry<String, Long>> all = new ArrayList<>();
        parts.forEach(all::addAll);
        return all;
      });
  }

  private Future<Long> sum(Function<String, Request> command) {
    return Fanout.sumLongs(each(index -> redis.send(command.apply(index)).map(Response::toLong)));
  }

  private <T> Future<List<T>> each(Function<String, Future<T>> call) {
    List<Future<T>> calls = indexes.stream().map(call).toList();
    return Future.all(calls).map(done -> calls.stream().map(Future::result).toList());
  }
}
