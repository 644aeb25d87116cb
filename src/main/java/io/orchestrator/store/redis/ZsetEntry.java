package io.orchestrator.store.redis;

import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** One member of a {@code ZRANGE … WITHSCORES} reply with its score as exact decimal text (for a ZADD elsewhere). */
record ZsetEntry(String member, String score) {

  /** The entries of a WITHSCORES reply: RESP3 nested pairs or the RESP2 flat array. */
  static List<ZsetEntry> of(Response reply) {
    List<ZsetEntry> entries = new ArrayList<>();
    if (reply == null || reply.size() == 0) {
      return entries;
    }
    if (reply.get(0).type() == ResponseType.MULTI) {
      reply.forEach(pair -> entries.add(new ZsetEntry(pair.get(0).toString(), exact(pair.get(1)))));
    } else {
      for (int i = 0; i + 1 < reply.size(); i += 2) {
        entries.add(new ZsetEntry(reply.get(i).toString(), exact(reply.get(i + 1))));
      }
    }
    return entries;
  }

  /** Scores are doubles; the shortest text that reads back as the same double, without an exponent. */
  private static String exact(Response score) {
    return BigDecimal.valueOf(score.toDouble()).toPlainString();
  }
}
