package io.orchestrator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orchestrator.api.ApiServices;
import io.orchestrator.api.ApiVerticle;
import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.auth.BearerAuthenticator;
import io.orchestrator.auth.JwtAuthFactory;
import io.orchestrator.common.Ids;
import io.orchestrator.config.AppConfig;
import io.orchestrator.definitions.DefinitionValidator;
import io.orchestrator.definitions.LiveOrchestrationCache;
import io.orchestrator.definitions.OrchestrationService;
import io.orchestrator.engine.EngineWiring;
import io.orchestrator.functions.FunctionService;
import io.orchestrator.functions.FunctionValidator;
import io.orchestrator.functions.UrlPolicy;
import io.orchestrator.runs.RunMeters;
import io.orchestrator.runs.RunService;
import io.orchestrator.tasks.TaskService;
import io.orchestrator.store.pg.Migrations;
import io.orchestrator.store.pg.PgFunctionStore;
import io.orchestrator.store.pg.PgOrchestrationStore;
import io.orchestrator.store.pg.PgRunHistory;
import io.orchestrator.store.StoreFailures;
import io.orchestrator.store.clients.Stores;
import io.orchestrator.store.redis.Scripts;
import io.orchestrator.store.redis.RedisPersistenceCheck;
import io.orchestrator.store.redis.RedisEventDedupe;
import io.orchestrator.store.redis.RedisEventStream;
import io.orchestrator.store.redis.RedisKeys;
import io.orchestrator.store.redis.RedisRunStore;
import io.orchestrator.store.redis.RedisScheduleStore;
import io.orchestrator.store.redis.RedisTaskSignal;
import io.orchestrator.store.redis.RedisTaskStore;
import io.orchestrator.store.redis.RedisTriggerRateLimiter;
import io.orchestrator.store.redis.RedisWakeSignal;
import io.orchestrator.store.redis.ScriptRegistry;
import io.orchestrator.triggers.events.EventConsumer;
import io.orchestrator.triggers.events.EventService;
import io.orchestrator.triggers.events.EventStreamVerticle;
import io.orchestrator.triggers.http.HttpTriggerService;
import io.orchestrator.triggers.http.SignatureVerifier;
import io.orchestrator.triggers.schedule.ScheduleFirer;
import io.orchestrator.triggers.schedule.SchedulePreview;
import io.orchestrator.triggers.schedule.ScheduleSync;
import io.orchestrator.triggers.schedule.SchedulerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: the only class that knows every concrete class. Wires the services, serves HTTP at once
 * ({@code /health/live} answers while the stores may still be down), then brings the rest up as the stores allow:
 * waits until PostgreSQL and Redis answer (retrying with backoff), migrates, loads the scripts and deploys the
 * engine of this instance's roles. Until then every API request answers 503 {@code unavailable}.
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
    RedisKeys keys = new RedisKeys(config.stores().redisPrefix(), config.triggers().eventStream());
    ScriptRegistry scripts = Scripts.registry(stores.redis);
    RedisRunStore runStore = new RedisRunStore(stores.redis, scripts, keys, clock);
    RedisTaskStore taskStore = new RedisTaskStore(stores.redis, scripts, keys, clock);
    RedisScheduleStore scheduleStore = new RedisScheduleStore(stores.redis, scripts, keys, clock);
    Ids ids = new Ids(clock);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PgOrchestrationStore orchestrationStore = new PgOrchestrationStore(stores.pool);
    PgFunctionStore functionStore = new PgFunctionStore(stores.pool);
    PgRunHistory history = new PgRunHistory(stores.pool);
    UrlPolicy urlPolicy = UrlPolicy.fromAllowList(config.engine().functionUrlAllow());
    RedisWakeSignal wake = new RedisWakeSignal(vertx, stores.redis, stores.newRedisClient(vertx), keys, clock);
    RedisTaskSignal taskSignal = new RedisTaskSignal(vertx, stores.redis, stores.newRedisClient(vertx), keys);
    LiveOrchestrationCache liveOrchestrations = new LiveOrchestrationCache(orchestrationStore, availability, clock);
    RunMeters runMeters = new RunMeters(registry);
    RunService runs = new RunService(orchestrationStore, liveOrchestrations, runStore, history, wake, ids,
      runMeters);
    EventService events = new EventService(orchestrationStore, runs, new RedisEventDedupe(stores.redis, keys), ids);
    DefinitionValidator definitionValidator = new DefinitionValidator(clock);
    OrchestrationService orchestrations =
      new OrchestrationService(orchestrationStore, functionStore, definitionValidator, ids, clock);
    // Every instance applies its own definition changes to the schedules at once; only schedulers fire them.
    RedisWakeSignal scheduleWake = new RedisWakeSignal(vertx, stores.redis, stores.newRedisClient(vertx),
      keys.scheduleWakeChannel(), clock);
    closers.addAll(List.of(wake::close, taskSignal::close, scheduleWake::close));
    ScheduleSync scheduleSync = new ScheduleSync(scheduleStore, scheduleWake, clock);
    orchestrations.addListener(scheduleSync);
    orchestrations.addListener(liveOrchestrations);
    TaskService tasks = new TaskService(vertx, taskStore, taskSignal, wake, config.engine().taskLease(), clock);
    Gauge.builder("orchestrator.tasks.polls.waiting", tasks::waiting)
      .description("Worker-task long polls waiting on this instance").register(registry);
    ApiServices services = new ApiServices(orchestrations,
      new FunctionService(functionStore, new FunctionValidator(urlPolicy), ids, clock),
      runs, tasks, events,
      new BearerAuthenticator(JwtAuthFactory.create(vertx, config.auth()), clock), registry, availability,
      new HttpTriggerService(orchestrationStore, runs, SignatureVerifier.create(),
        new RedisTriggerRateLimiter(scripts, keys, clock), config.triggers().httpTriggerRatePerSecond(), clock),
      new SchedulePreview(orchestrations, scheduleStore, definitionValidator, clock));
    List<Supplier<Future<Void>>> engine = new ArrayList<>();
    if (config.has(AppConfig.Role.API)) {
      taskSignal.subscribe();
    }
    if (config.has(AppConfig.Role.SCHEDULER)) {
      ScheduleFirer firer = new ScheduleFirer(scheduleStore, scheduleSync, orchestrationStore, runs, clock, registry);
      SchedulerVerticle scheduler = new SchedulerVerticle(scheduleStore, firer, scheduleWake, availability, clock);
      scheduleWake.subscribe();
      // adds the schedules Redis lacks (restarts neither reset nor re-fire anything), then starts firing
      engine.add(() -> scheduleSync.rebuild(orchestrationStore).mapEmpty());
      engine.add(() -> deployAll(List.of(scheduler)));
    }
    if (config.has(AppConfig.Role.WORKER)) {
      EngineWiring wiring = new EngineWiring(vertx, config.engine(), runStore, history, orchestrationStore,
        functionStore, urlPolicy, wake, taskStore, taskSignal, registry, runMeters, availability, ids, clock);
      wake.subscribe();
      // each step is retried alone: the claim loops start without I/O, the event consumer creates its group
      engine.add(() -> deployAll(wiring.verticles(config.http().instances())));
      engine.add(() -> deployAll(List.of(eventStreamVerticle(keys, events, ids))));
    }
    Future<Void> api = config.has(AppConfig.Role.API) ? deployApi(services) : Future.succeededFuture();
    return api.onSuccess(v -> ready = startUp(scripts, engine));
  }

  /** One consumer of the event stream per instance, named uniquely in the group. */
  private EventStreamVerticle eventStreamVerticle(RedisKeys keys, EventService events, Ids ids) {
    String consumer = System.getenv().getOrDefault("HOSTNAME", "orchestrator") + "-" + ids.next("");
    RedisEventStream stream = new RedisEventStream(stores.redis, stores.newRedisClient(vertx), keys,
      config.triggers().eventGroup(), consumer);
    return new EventStreamVerticle(stream, events,
      new EventConsumer.Settings(EVENT_BATCH, EVENT_BLOCK, config.triggers().eventClaimIdle()),
      config.triggers().eventRetention(), availability, clock);
  }

  /**
   * Waits until both stores answer, then migrates, loads the scripts and starts the engine; each step that meets
   * an outage waits for the stores and is tried again. Fails only on a failure that is not an outage (a bug).
   */
  private Future<Void> startUp(ScriptRegistry scripts, List<Supplier<Future<Void>>> engine) {
    Future<Void> steps = untilDone(() -> new Migrations(vertx, stores.pool).migrate())
      .compose(v -> untilDone(scripts::preload))
      .compose(v -> RedisPersistenceCheck.warnIfUnsafe(stores.redis));
    for (Supplier<Future<Void>> part : engine) {
      steps = steps.compose(v -> untilDone(part));
    }
    return steps.onSuccess(v -> {
      availability.markStarted();
      LOG.info("Orchestrator ready (roles {})", config.roles());
    }).onFailure(e -> LOG.error("start-up failed: {}", e.getMessage(), e));
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

  private Future<Void> deployAll(List<? extends Deployable> verticles) {
    List<Future<String>> started = new ArrayList<>();
    for (Deployable verticle : verticles) {
      started.add(vertx.deployVerticle(verticle).onSuccess(deployments::add));
    }
    return Future.all(started).mapEmpty();
  }

  /** The port the API listens on (useful when configured as 0). */
  public int httpPort() {
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
