package io.orchestrator.store.redis;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The Lua scripts of {@code redis/} on the classpath, called by SHA1.
 *
 * <p>A script is named {@code <camelCaseVerb>-<numKeys>}; every call is checked against that key count. The SHA1s
 * are computed here, so a registry exists before Redis answers (a service starting during a Redis outage);
 * {@link #preload()} puts the scripts into Redis's cache once it does. Every script is sent with the
 * {@link LuaPrelude} in front: the constants it shares with Java. When Redis answers {@code NOSCRIPT} (its
 * script cache was flushed, it restarted, or a cluster node never saw the load) the call is sent once more as
 * {@code EVAL} with the source, which also puts the script back in Redis's cache.
 */
public final class ScriptRegistry {

  private final Redis redis;
  private final Map<String, Script> scripts;

  private ScriptRegistry(Redis redis, Map<String, Script> scripts) {
    this.redis = redis;
    this.scripts = Map.copyOf(scripts);
  }

  /**
   * Reads {@code redis/<name>.lua} from the classpath for every name; sends nothing to Redis.
   *
   * @throws IllegalStateException when a script is missing or badly named (a packaging bug)
   */
  public static ScriptRegistry of(Redis redis, List<String> names) {
    Map<String, Script> read = new HashMap<>();
    for (String name : names) {
      read.put(name, readOne(name));
    }
    return new ScriptRegistry(redis, read);
  }

  /** {@link #of} followed by {@link #preload()}: a failed future when a script is missing or Redis refuses one. */
  public static Future<ScriptRegistry> load(Vertx vertx, Redis redis, List<String> names) {
    return vertx.executeBlocking(() -> of(redis, names)).compose(registry -> registry.preload().map(registry));
  }

  /**
   * Loads every script into Redis's script cache ({@code SCRIPT LOAD}), sparing the first calls a NOSCRIPT; on a
   * Redis Cluster into every master's (a node added or promoted later gets them through the NOSCRIPT fallback).
   */
  public Future<Void> preload() {
    return Future.all(scripts.values().stream()
      .map(script -> RedisNodes.everyMaster(redis, Request.cmd(Command.SCRIPT).arg("LOAD").arg(script.source())))
      .toList()).mapEmpty();
  }

  /**
   * Runs a script.
   *
   * @param keys exactly as many as the name's suffix says, all in one hash slot
   * @return the script's reply; a failed future for an unknown script, a wrong key count or a Redis error
   */
  public Future<Response> call(String name, List<String> keys, List<String> args) {
    Script script = scripts.get(name);
    if (script == null) {
      return Future.failedFuture(new IllegalArgumentException("script not loaded: " + name));
    }
    if (keys.size() != script.numKeys()) {
      return Future.failedFuture(new IllegalArgumentException(
        name + " takes " + script.numKeys() + " keys, got " + keys.size()));
    }
    return redis.send(request(Command.EVALSHA, script.sha(), keys, args))
      .recover(err -> isNoScript(err)
        ? redis.send(request(Command.EVAL, script.source(), keys, args))
        : Future.failedFuture(err));
  }

  private static Script readOne(String name) {
    int numKeys;
    try {
      numKeys = Integer.parseInt(name.substring(name.lastIndexOf('-') + 1));
    } catch (NumberFormatException e) {
      throw new IllegalStateException("script name lacks a -<numKeys> suffix: " + name, e);
    }
    String source = LuaPrelude.SOURCE + readClasspath("redis/" + name + ".lua");
    return new Script(numKeys, source, sha1(source));
  }

  private static String sha1(String source) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
        .digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-1", e);
    }
  }

  private static String readClasspath(String path) {
    try (InputStream in = ScriptRegistry.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("script not on the classpath: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Request request(Command command, String scriptOrSha, List<String> keys, List<String> args) {
    Request request = Request.cmd(command).arg(scriptOrSha).arg(keys.size());
    keys.forEach(request::arg);
    args.forEach(request::arg);
    return request;
  }

  private static boolean isNoScript(Throwable err) {
    return err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT");
  }

  private record Script(int numKeys, String source, String sha) {
  }
}
