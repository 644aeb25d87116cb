package io.orchestrator;

import io.orchestrator.api.ApiServices;
import io.orchestrator.api.ApiVerticle;
import io.orchestrator.api.OperationsVerticle;
import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.config.AppConfig;
import io.orchestrator.config.ConfigException;
import io.orchestrator.store.pg.Migrations;
import io.orchestrator.store.StoreFailures;
import io.orchestrator.store.clients.Stores;
import io.orchestrator.store.redis.RedisPersistenceCheck;
import io.orchestrator.store.redis.RedisEventStream;
import io.orchestrator.store.redis.PartitionCheck;
import io.orchestrator.triggers.events.EventConsumer;
import io.orchestrator.triggers.events.EventStreamVerticle;
import io.orchestrator.triggers.schedule.ScheduleFirer;
import io.orchestrator.triggers.schedule.SchedulerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root (with {@link Components} and {@link WorkerRole}, the only classes that know every concrete
 * class). Wires the services, serves HTTP at once ({@code /health/live} answers while the stores may still be
 * down), then brings the rest up as the stores allow: waits until PostgreSQL and Redis answer (retrying with
 * backoff), migrates, loads the scripts and deploys the engine of this instance's roles. Until then every API request answers 503 {@code unavailable}.
 */
public final class Orchestrator {

  private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);
  private static final int EVENT_BATCH = 64;
  private static final Duration EVENT_BLOCK = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final AppConfig config;
  private final Stores stores;
  private final Clock clock;
  private final StoreAvailability availability;
  private final List<String> deployments = new ArrayList<>();
  private final List<ApiVerticle> apiVerticles = new ArrayList<>();
  private OperationsVerticle operations;
  private final List<Runnable> closers = new ArrayList<>();
  private Future<Void> ready = Future.succeededFuture();
  private volatile boolean stopping;

  private Orchestrator(Vertx vertx, AppConfig config, Stores stores, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.stores = stores;
    this.clock = clock;
    this.availability = new StoreAvailability(vertx, Map.of(StoreFailures.POSTGRES, stores::pingPostgres,
      StoreFailures.REDIS, stores::pingRedis), new StoreFailures(), config.stores().timeout(), clock);
  }

  public static Future<Orchestrator> start(Vertx vertx, AppConfig config) {
    return start(vertx, config, Clock.systemUTC());
  }

  /**
   * Starts with {@code clock} as every component's "now" (tests pass a shifted clock to replay signed vectors).
   * Completes once HTTP is served; {@link #ready()} completes once the stores answer and the engine runs.
   */
  public static Future<Orchestrator> start(Vertx vertx, AppConfig config, Clock clock) {
    return Stores.open(vertx, config.stores())
      .map(stores -> new Orchestrator(vertx, config, stores, clock))
      .compose(app -> app.wire().map(app));
  }

  /** Completes when start-up is over (stores answered, migrated, engine deployed); fails only on a bug. */
  public Future<Void> ready() {
    return ready;
  }

  private Future<Void> wire() {
    Components c = new Components(vertx, config, stores, availability, clock);
    closers.add(c::close);
    List<Supplier<Future<Void>>> engine = new ArrayList<>();
    if (config.has(AppConfig.Role.API)) {
      c.taskSignal.subscribe();
    }
    if (config.has(AppConfig.Role.SCHEDULER)) {
      ScheduleFirer firer = new ScheduleFirer(c.scheduleStore, c.scheduleSync, c.orchestrationStore, c.runs, clock,
        c.registry);
      SchedulerVerticle scheduler = new SchedulerVerticle(c.scheduleStore, firer, c.scheduleWake, availability, clock);
      c.scheduleWake.subscribe();
      // adds the schedules Redis lacks (restarts neither reset nor re-fire anything), then starts firing
      engine.add(() -> c.scheduleSync.rebuild(c.orchestrationStore).mapEmpty());
      engine.add(() -> deployAll(List.of(scheduler)));
    }
    if (config.has(AppConfig.Role.WORKER)) {
      c.wake.subscribe();
      // each step is retried alone: the claim loops start without I/O, the event consumer creates its group
      engine.add(() -> deployAll(WorkerRole.verticles(c, claimLoops())));
      engine.add(() -> deployAll(List.of(eventStreamVerticle(c))));
    }
    Future<Void> http = config.has(AppConfig.Role.API) ? deployApi(c.apiServices()) : deployOperations(c);
    return http.onSuccess(v -> ready = startUp(c, engine));
  }

  /**
   * With the API role, one claim loop per event loop of Vert.x's default pool (the one App creates): deployed one
   * after the other, they get the event loops in turn, so each API verticle has a worker on its own loop and the runs
   * it creates are executed there (LocalWorkers). Without that role, ORCH_HTTP_INSTANCES of them.
   */
  private int claimLoops() {
    return config.has(AppConfig.Role.API) ? VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE : config.http().instances();
  }

  /** One consumer of the event stream per instance, named uniquely in the group. */
  private EventStreamVerticle eventStreamVerticle(Components c) {
    String consumer = System.getenv().getOrDefault("HOSTNAME", "orchestrator") + "-" + c.ids.next("");
    RedisEventStream stream = new RedisEventStream(stores.redis, stores.newRedisClient(vertx), c.keyspace,
      config.triggers().eventGroup(), consumer);
    return new EventStreamVerticle(stream, c.events,
      new EventConsumer.Settings(EVENT_BATCH, EVENT_BLOCK, config.triggers().eventClaimIdle()),
      config.triggers().eventRetention(), availability, clock);
  }

  /**
   * Waits until both stores answer, then migrates, loads the scripts and starts the engine; each step that meets
   * an outage waits for the stores and is tried again. Fails only on a failure that is not an outage (a bug).
   */
  private Future<Void> startUp(Components c, List<Supplier<Future<Void>>> engine) {
    Future<Void> steps = untilDone(() -> new Migrations(vertx, stores.pool).migrate())
      .compose(v -> untilDone(() -> PartitionCheck.verify(stores.redis, c.keyspace)))
      .compose(v -> untilDone(c.scripts::preload))
      .compose(v -> RedisPersistenceCheck.warnIfUnsafe(stores.redis));
    for (Supplier<Future<Void>> part : engine) {
      steps = steps.compose(v -> untilDone(part));
    }
    return steps.onSuccess(v -> {
      availability.markStarted();
      LOG.info("Orchestrator ready (roles {})", config.roles());
    }).onFailure(e -> {
      if (e instanceof ConfigException) {
        LOG.error("start-up failed, configuration error: {}", e.getMessage());
      } else {
        LOG.error("start-up failed: {}", e.getMessage(), e);
      }
    });
  }

  /** Runs {@code step} once the stores answer, again after every outage it meets, until it succeeds. */
  private Future<Void> untilDone(Supplier<Future<Void>> step) {
    if (stopping) {
      return Future.failedFuture("stopped during start-up");
    }
    return availability.whenUp().compose(v -> step.get())
      .recover(e -> availability.of(e).isPresent() ? untilDone(step) : Future.failedFuture(e));
  }

  private Future<Void> deployApi(ApiServices services) {
    List<Deployable> verticles = new ArrayList<>();
    for (int i = 0; i < config.http().instances(); i++) {
      ApiVerticle verticle = new ApiVerticle(config.http(), services);
      apiVerticles.add(verticle);
      verticles.add(verticle);
    }
    return deployAll(verticles);
  }

  /** Without the api role, the HTTP port still serves health and metrics (one verticle: it is scraped, not used). */
  private Future<Void> deployOperations(Components c) {
    operations = new OperationsVerticle(config.http(), availability, c.registry);
    return deployAll(List.of(operations));
  }

  private Future<Void> deployAll(List<? extends Deployable> verticles) {
    List<Future<String>> started = new ArrayList<>();
    for (Deployable verticle : verticles) {
      started.add(vertx.deployVerticle(verticle).onSuccess(deployments::add));
    }
    return Future.all(started).mapEmpty();
  }

  /** The ports the API verticles listen on: one per instance, all the same. */
  List<Integer> apiPorts() {
    return apiVerticles.stream().map(ApiVerticle::port).toList();
  }

  /** The port the API listens on (useful when configured as 0). */
  public int httpPort() {
    if (operations != null) {
      return operations.port();
    }
    return apiVerticles.isEmpty() ? -1 : apiVerticles.get(0).port();
  }

  public String describe() {
    return "Orchestrator listening on http://" + config.http().host() + ":" + httpPort() + " (roles " + config.roles()
      + "; PostgreSQL " + stores.pgDescription + "; Redis " + stores.redisDescription + ")";
  }

  /** Stops serving and claiming, lets in-flight requests and runs finish (bounded), then closes the stores. */
  public Future<Void> stop() {
    stopping = true;
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : deployments) {
      undeployed.add(vertx.undeploy(id));
    }
    return Future.join(undeployed).transform(v -> {
      closers.forEach(Runnable::run);
      return stores.close(vertx);
    });
  }
}
