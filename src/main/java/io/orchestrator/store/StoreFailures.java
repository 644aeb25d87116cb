package io.orchestrator.store;

import io.orchestrator.common.Outages;
import io.orchestrator.common.StoreUnavailableException;
import io.vertx.core.VertxException;
import io.vertx.pgclient.PgException;
import io.vertx.redis.client.impl.types.ErrorType;
import io.vertx.sqlclient.ClosedConnectionException;
import java.io.IOException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one table of store failures that mean "the store is down, restarting or too slow", not "we have a bug":
 * connection refused, reset or closed, timeouts, Redis replies that a healthy server gives only while it cannot
 * serve ({@code LOADING} while replaying its AOF, {@code BUSY} while a script runs too long, {@code READONLY} and
 * {@code MASTERDOWN} around a failover, ...) and PostgreSQL's connection and shutdown SQLSTATEs.
 */
public final class StoreFailures implements Outages {

  public static final String POSTGRES = "PostgreSQL";
  public static final String REDIS = "Redis";

  /** Redis error reply codes (the reply's first word) that a server gives while it cannot serve. */
  private static final Set<String> REDIS_UNAVAILABLE = Set.of("LOADING", "BUSY", "READONLY", "MASTERDOWN",
    "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "MISCONF", "CONNECTION_CLOSED", "UNBLOCKED");

  /** How the client reports the failed command of a batch: {@code ERR [<index>] <reply>}. */
  private static final Pattern BATCH_REPLY = Pattern.compile("ERR \\[\\d+] (\\S+)");

  /** SQLSTATEs of PostgreSQL shutting down, starting, refusing connections or losing one (class 08). */
  private static final Set<String> PG_UNAVAILABLE = Set.of("57P01", "57P02", "57P03", "57P05", "53300", "53400");

  @Override
  public Optional<StoreUnavailableException> of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      Optional<StoreUnavailableException> found = classify(t);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /**
   * A Redis client failure as a {@link StoreUnavailableException} when it is one, else unchanged: every failure
   * of the client but a reply the server gave while healthy (a script error, a wrong type, NOSCRIPT) is an outage.
   */
  public static Throwable fromRedis(Throwable failure) {
    if (failure instanceof StoreUnavailableException) {
      return failure;
    }
    if (failure instanceof ErrorType reply) {
      return REDIS_UNAVAILABLE.contains(code(reply)) ? unavailable(REDIS, failure) : failure;
    }
    return unavailable(REDIS, failure);
  }

  private static Optional<StoreUnavailableException> classify(Throwable t) {
    if (t instanceof StoreUnavailableException known) {
      return Optional.of(known);
    }
    if (t instanceof ErrorType reply) {
      return REDIS_UNAVAILABLE.contains(code(reply)) ? Optional.of(unavailable(REDIS, t)) : Optional.empty();
    }
    if (t instanceof PgException pg) {
      String state = pg.getSqlState() == null ? "" : pg.getSqlState();
      return state.startsWith("08") || PG_UNAVAILABLE.contains(state)
        ? Optional.of(unavailable(POSTGRES, t)) : Optional.empty();
    }
    if (t instanceof ClosedConnectionException) {
      return Optional.of(unavailable(POSTGRES, t));
    }
    // Redis failures arrive translated (GuardedRedis), so what is left of these comes from the PostgreSQL pool.
    if (t instanceof IOException || t instanceof TimeoutException || isPoolTimeout(t)) {
      return Optional.of(unavailable(POSTGRES, t));
    }
    return Optional.empty();
  }

  /** The sql client's pool reports a connection it could not get in time as a bare "Timeout". */
  private static boolean isPoolTimeout(Throwable t) {
    return t instanceof VertxException && t.getMessage() != null && t.getMessage().toLowerCase().contains("timeout");
  }

  /** The reply's code: its first word, or for a batch ("ERR [2] LOADING ...") the failed command's. */
  private static String code(ErrorType reply) {
    String message = reply.getMessage() == null ? "" : reply.getMessage();
    Matcher batch = BATCH_REPLY.matcher(message);
    if (batch.lookingAt()) {
      return batch.group(1);
    }
    int space = message.indexOf(' ');
    return space < 0 ? message : message.substring(0, space);
  }

  private static StoreUnavailableException unavailable(String store, Throwable cause) {
    String reason = cause.getMessage() == null || cause.getMessage().isBlank()
      ? cause.getClass().getSimpleName() : cause.getMessage();
    return new StoreUnavailableException(store, reason.length() > 200 ? reason.substring(0, 200) : reason);
  }
}
