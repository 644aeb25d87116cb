package io.orchestrator.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Service processes of one benchmark, as bench/lib.sh's start_service starts them but from Java, so the bench that
 * injects the faults also owns the services: {@code java $BENCH_JAVA_OPTS -jar ${BENCH_JAR:-target/orchestrator.jar}}
 * with the bench's environment plus the given variables, stdout and stderr in {@code <logDir>/svc<i>.log}. Started
 * means ready: the start-up line named the port and {@code GET /health/ready} answered 200.
 */
final class ServiceFleet implements AutoCloseable {

  private static final Pattern LISTENING = Pattern.compile("listening on http://[0-9.]+:(\\d+)");
  private static final long START_DEADLINE_MS = 120_000;
  private static final long STOP_DEADLINE_SECONDS = 40;

  final List<Integer> ports = new ArrayList<>();
  final List<Path> logs = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final Thread killOnExit = new Thread(() -> processes.forEach(Process::destroyForcibly));
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ServiceFleet() {
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /** Starts {@code instances} processes (each with its own {@code ORCH_DATA_DIR}) and waits until all are ready. */
  static ServiceFleet start(int instances, Map<String, String> env, Path logDir) {
    ServiceFleet fleet = new ServiceFleet();
    try {
      Files.createDirectories(logDir);
      for (int i = 1; i <= instances; i++) {
        fleet.launch(env, logDir.resolve("svc" + i + ".log"), logDir.resolve("data-svc" + i));
      }
      long deadline = System.currentTimeMillis() + START_DEADLINE_MS;
      for (int i = 0; i < instances; i++) {
        fleet.ports.add(fleet.awaitPort(i, deadline));
      }
      for (int port : fleet.ports) {
        fleet.awaitReady(port, deadline);
      }
      return fleet;
    } catch (IOException e) {
      fleet.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      fleet.close();
      throw e;
    }
  }

  long pid(int i) {
    return processes.get(i).pid();
  }

  private void launch(Map<String, String> env, Path log, Path dataDir) throws IOException {
    List<String> command = new ArrayList<>(List.of("java"));
    String opts = System.getenv().getOrDefault("BENCH_JAVA_OPTS", "").trim();
    if (!opts.isEmpty()) {
      command.addAll(Arrays.asList(opts.split("\\s+")));
    }
    command.addAll(List.of("-jar",
      Path.of(System.getenv().getOrDefault("BENCH_JAR", "target/orchestrator.jar")).toAbsolutePath().toString()));
    // started in its data directory: Vert.x's file resolver reads openapi.yaml from the working directory before the
    // jar, so a BENCH_JAR of another commit started from the repo root would get this tree's contract
    Files.createDirectories(dataDir);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dataDir.toFile()).redirectErrorStream(true)
      .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    builder.environment().putAll(env);
    builder.environment().put("ORCH_DATA_DIR", dataDir.toAbsolutePath().toString());
    processes.add(builder.start());
    logs.add(log);
  }

  /** The port of the start-up line {@code Orchestrator listening on http://127.0.0.1:<port> (…)}. */
  private int awaitPort(int i, long deadline) {
    while (System.currentTimeMillis() < deadline) {
      if (!processes.get(i).isAlive()) {
        throw new IllegalStateException("service " + (i + 1) + " exited during start-up; see " + logs.get(i));
      }
      try {
        Matcher m = LISTENING.matcher(Files.readString(logs.get(i)));
        if (m.find() && !"-1".equals(m.group(1))) {
          return Integer.parseInt(m.group(1));
        }
      } catch (IOException e) {
        // not written yet
      }
      sleep(200);
    }
    throw new IllegalStateException("service " + (i + 1) + " did not start listening; see " + logs.get(i));
  }

  private void awaitReady(int port, long deadline) {
    HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
      .timeout(Duration.ofSeconds(5)).build();
    while (System.currentTimeMillis() < deadline) {
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(200);
    }
    throw new IllegalStateException("service on port " + port + " not ready within " + START_DEADLINE_MS + " ms");
  }

  /** SIGTERM to all (a graceful stop takes up to 30 s), SIGKILL to any still running after 40 s. */
  @Override
  public void close() {
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(STOP_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
