package io.orchestrator;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orchestrator.api.ApiServices;
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
import io.orchestrator.store.redis.RedisEventDedupe;
import io.orchestrator.store.redis.RedisEventStream;
import io.orchestrator.store.redis.RedisKeys;
import io.orchestrator.store.redis.RedisRunStore;
import io.orchestrator.store.redis.RedisScheduleStore;
import io.orchestrator.store.redis.RedisTaskSignal;
import io.orchestrator.store.redis.RedisTaskStore;
import io.orchestrator.store.redis.RedisTriggerRateLimiter;
import io.orchestrator.store.redis.RedisWakeSignal;
import io.orchestrator.triggers.events.EventConsumer;
import io.orchestrator.triggers.events.EventService;
import io.orchestrator.triggers.events.EventStreamVerticle;
import io.orchestrator.triggers.http.HttpTriggerService;
import io.orchestrator.triggers.http.SignatureVerifier;
import io.orchestrator.triggers.schedule.ScheduleFirer;
import io.orchestrator.triggers.schedule.ScheduleSync;
import io.orchestrator.triggers.schedule.SchedulerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The composition root: the only class that knows every concrete class. Opens the stores, migrates, wires the
 * services and deploys the verticles of this instance's roles.
 */
public final class Orchestrator {

  private static final int EVENT_BATCH = 64;
  private static final Duration EVENT_BLOCK = Duration.ofSeconds(2);

  private final Vertx vertx;
  private final AppConfig config;
  private final Stores stores;
  private final Clock clock;
  private final List<String> deployments = new ArrayList<>();
  private final List<ApiVerticle> apiVerticles = new ArrayList<>();
  private RedisWakeSignal wake;
  private RedisTaskSignal taskSignal;
  private RedisWakeSignal scheduleWake;

  private Orchestrator(Vertx vertx, AppConfig config, Stores stores, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.stores = stores;
    this.clock = clock;
  }

  public static Future<Orchestrator> start(Vertx vertx, AppConfig config) {
    return start(vertx, config, Clock.systemUTC());
  }

  /** Starts with {@code clock} as every component's "now"; tests pass a shifted clock to replay signed vectors. */
  public static Future<Orchestrator> start(Vertx vertx, AppConfig config, Clock clock) {
    return Stores.open(vertx, config.stores())
      .compose(stores -> new Migrations(vertx, stores.pool).migrate()
        .map(v -> new Orchestrator(vertx, config, stores, clock)))
      .compose(app -> app.deploy().map(app));
  }

  private Future<Void> deploy() {
    RedisKeys keys = new RedisKeys(config.stores().redisPrefix(), config.triggers().eventStream());
    Future<RedisRunStore> runStore = RedisRunStore.create(vertx, stores.redis, keys, clock);
    Future<RedisTaskStore> taskStore = RedisTaskStore.create(vertx, stores.redis, keys, clock);
    Future<RedisTriggerRateLimiter> rateLimiter = RedisTriggerRateLimiter.create(vertx, stores.redis, keys, clock);
    Future<RedisScheduleStore> scheduleStore = RedisScheduleStore.create(vertx, stores.redis, keys, clock);
    return Future.all(runStore, taskStore, rateLimiter, scheduleStore)
      .compose(v -> wire(keys, runStore.result(), taskStore.result(), rateLimiter.result(), scheduleStore.result()));
  }

  private Future<Void> wire(RedisKeys keys, RedisRunStore runStore, RedisTaskStore taskStore,
                            RedisTriggerRateLimiter rateLimiter, RedisScheduleStore scheduleStore) {
    Ids ids = new Ids(clock);
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    PgOrchestrationStore orchestrationStore = new PgOrchestrationStore(stores.pool);
    PgFunctionStore functionStore = new PgFunctionStore(stores.pool);
    PgRunHistory history = new PgRunHistory(stores.pool);
    UrlPolicy urlPolicy = UrlPolicy.fromAllowList(config.engine().functionUrlAllow());
    wake = new RedisWakeSignal(vertx, stores.redis, stores.newRedisClient(vertx), keys);
    taskSignal = new RedisTaskSignal(vertx, stores.redis, stores.newRedisClient(vertx), keys);
    LiveOrchestrationCache liveOrchestrations = new LiveOrchestrationCache(orchestrationStore, clock);
    RunMeters runMeters = new RunMeters(registry);
    RunService runs = new RunService(orchestrationStore, liveOrchestrations, runStore, history, wake, ids,
      runMeters);
    EventService events = new EventService(orchestrationStore, runs, new RedisEventDedupe(stores.redis, keys), ids);
    OrchestrationService orchestrations =
      new OrchestrationService(orchestrationStore, functionStore, new DefinitionValidator(clock), ids, clock);
    // Every instance applies its own definition changes to the schedules at once; only schedulers fire them.
    scheduleWake = new RedisWakeSignal(vertx, stores.redis, stores.newRedisClient(vertx), keys.scheduleWakeChannel());
    ScheduleSync scheduleSync = new ScheduleSync(scheduleStore, scheduleWake, clock);
    orchestrations.addListener(scheduleSync);
    orchestrations.addListener(liveOrchestrations);
    ApiServices services = new ApiServices(orchestrations,
      new FunctionService(functionStore, new FunctionValidator(urlPolicy), ids, clock),
      runs, new TaskService(vertx, taskStore, taskSignal, wake, config.engine().taskLease()), events,
      new BearerAuthenticator(JwtAuthFactory.create(vertx, config.auth()), clock), registry, stores::pingPostgres,
      stores::pingRedis,
      new HttpTriggerService(orchestrationStore, runs, SignatureVerifier.create(), rateLimiter,
        config.triggers().httpTriggerRatePerSecond(), clock));
    Future<Void> api = Future.succeededFuture();
    if (config.has(AppConfig.Role.API)) {
      taskSignal.subscribe();
      api = deployApi(services);
    }
    if (config.has(AppConfig.Role.SCHEDULER)) {
      ScheduleFirer firer = new ScheduleFirer(scheduleStore, scheduleSync, orchestrationStore, runs, clock, registry);
      api = api.compose(v -> deployScheduler(scheduleSync, orchestrationStore,
        new SchedulerVerticle(scheduleStore, firer, scheduleWake, clock)));
    }
    if (!config.has(AppConfig.Role.WORKER)) {
      return api;
    }
    wake.subscribe();
    EngineWiring engine = new EngineWiring(vertx, config.engine(), runStore, history, orchestrationStore,
      functionStore, urlPolicy, wake, taskStore, taskSignal, registry, runMeters, ids, clock);
    return api.compose(v -> deployAll(engine.verticles(config.http().instances())))
      .compose(v -> deployAll(List.of(eventStreamVerticle(keys, events, ids))));
  }

  /** One consumer of the event stream per instance, named uniquely in the group. */
  private EventStreamVerticle eventStreamVerticle(RedisKeys keys, EventService events, Ids ids) {
    String consumer = System.getenv().getOrDefault("HOSTNAME", "orchestrator") + "-" + ids.next("");
    RedisEventStream stream = new RedisEventStream(stores.redis, stores.newRedisClient(vertx), keys,
      config.triggers().eventGroup(), consumer);
    return new EventStreamVerticle(stream, events,
      new EventConsumer.Settings(EVENT_BATCH, EVENT_BLOCK, config.triggers().eventClaimIdle()),
      config.triggers().eventRetention());
  }

  /** Adds the schedules Redis lacks (restarts neither reset nor re-fire anything), then starts firing. */
  private Future<Void> deployScheduler(ScheduleSync sync, PgOrchestrationStore orchestrationStore,
                                       SchedulerVerticle scheduler) {
    scheduleWake.subscribe();
    return sync.rebuild(orchestrationStore).compose(armed -> deployAll(List.of(scheduler)));
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
    List<Future<Void>> undeployed = new ArrayList<>();
    for (String id : deployments) {
      undeployed.add(vertx.undeploy(id));
    }
    return Future.join(undeployed).transform(v -> {
      if (wake != null) {
        wake.close();
        taskSignal.close();
      }
      if (scheduleWake != null) {
        scheduleWake.close();
      }
      return stores.close(vertx);
    });
  }
}
