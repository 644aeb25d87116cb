package io.orchestrator;

import io.orchestrator.config.AppConfig;
import io.orchestrator.config.ConfigException;
import io.orchestrator.config.ConfigLoader;
import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point: {@code java -jar orchestrator.jar} serves; {@code ... token --sub u --workspace ws} mints a token;
 * {@code ... migrate-partitions} moves a single-tag deployment's Redis data into partitions (instances stopped);
 * {@code ... healthcheck} exits 0 when the instance of this environment answers {@code /health/live} (the image's
 * HEALTHCHECK).
 */
public final class App {

  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  private App() {
  }

  public static void main(String[] args) {
    System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    try {
      if (args.length > 0 && args[0].equals("token")) {
        System.exit(TokenCommand.run(args));
      }
      if (args.length > 0 && args[0].equals("healthcheck")) {
        System.exit(HealthCheckCommand.run());
      }
      if (args.length > 0 && args[0].equals("migrate-partitions")) {
        System.exit(MigratePartitionsCommand.run());
      }
      serve(ConfigLoader.fromEnv());
    } catch (ConfigException e) {
      System.err.println("configuration error: " + e.getMessage());
      System.exit(2);
    }
  }

  private static void serve(AppConfig config) {
    Vertx vertx = Vertx.vertx();
    Orchestrator.start(vertx, config)
      .onSuccess(orchestrator -> {
        System.out.println(orchestrator.describe());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, orchestrator), "shutdown"));
        // a store that is down only delays readiness; a failure here is a bug (a migration that cannot apply) or a
        // configuration error only the stores reveal (another partition count than the data was written with)
        orchestrator.ready().onFailure(e -> vertx.close().onComplete(v -> System.exit(1)));
      })
      .onFailure(e -> {
        LOG.error("start-up failed: {}", e.getMessage(), e);
        vertx.close().onComplete(v -> System.exit(1));
      });
  }

  private static void shutdown(Vertx vertx, Orchestrator orchestrator) {
    CountDownLatch done = new CountDownLatch(1);
    orchestrator.stop().eventually(vertx::close).onComplete(r -> done.countDown());
    try {
      if (!done.await(30, TimeUnit.SECONDS)) {
        LOG.warn("graceful shutdown took longer than 30 s; exiting anyway");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
