package io.orchestrator;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.orchestrator.api.ApiServices;
import io.orchestrator.api.console.DevTokens;
import io.orchestrator.auth.BearerAuthenticator;
import io.orchestrator.auth.JwtAuthFactory;
import io.orchestrator.auth.TokenMinter;
import io.orchestrator.availability.StoreAvailability;
import io.orchestrator.bulk.BulkMeters;
import io.orchestrator.bulk.BulkService;
import io.orchestrator.common.Ids;
import io.orchestrator.common.Partitions;
import io.orchestrator.config.AppConfig;
import io.orchestrator.definitions.DefinitionValidator;
import io.orchestrator.definitions.LiveOrchestrationCache;
import io.orchestrator.definitions.OrchestrationService;
import io.orchestrator.engine.LocalWorkers;
import io.orchestrator.engine.Simulator;
import io.orchestrator.functions.FunctionService;
import io.orchestrator.functions.FunctionValidator;
import io.orchestrator.functions.UrlPolicy;
import io.orchestrator.runs.RunMeters;
import io.orchestrator.runs.RunOperations;
import io.orchestrator.runs.RunService;
import io.orchestrator.runs.RunWatchers;
import io.orchestrator.runs.StepTypes;
import io.orchestrator.simulation.SimulationService;
import io.orchestrator.store.clients.Stores;
import io.orchestrator.store.pg.PgBulkStore;
import io.orchestrator.store.pg.PgFunctionStore;
import io.orchestrator.store.pg.PgOrchestrationStore;
import io.orchestrator.store.pg.PgRunHistory;
import io.orchestrator.store.redis.RedisEventDedupe;
import io.orchestrator.store.redis.Keyspace;
import io.orchestrator.store.redis.RedisRunEvents;
import io.orchestrator.store.redis.RedisRunStore;
import io.orchestrator.store.redis.RedisScheduleStore;
import io.orchestrator.store.redis.RedisTaskSignal;
import io.orchestrator.store.redis.RedisTaskStore;
import io.orchestrator.store.redis.RedisTriggerRateLimiter;
import io.orchestrator.store.redis.RedisWakeSignal;
import io.orchestrator.store.redis.ScriptRegistry;
import io.orchestrator.store.redis.Scripts;
import io.orchestrator.tasks.TaskService;
import io.orchestrator.tracing.OtelSpans;
import io.orchestrator.tracing.Spans;
import io.orchestrator.triggers.events.EventService;
import io.orchestrator.triggers.http.HttpTriggerService;
import io.orchestrator.triggers.http.SignatureVerifier;
import io.orchestrator.triggers.schedule.SchedulePreview;
import io.orchestrator.triggers.schedule.ScheduleSync;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Part of the composition root: the store adapters, signals and services one instance shares between its roles,
 * built once from the configuration. The roles ({@link WorkerRole}, the scheduler, the API) take what they need.
 */
final class Components {

  final Vertx vertx;
  final AppConfig config;
  final Stores stores;
  final StoreAvailability availability;
  final Clock clock;
  final Ids ids;
  final Keyspace keyspace;
  final ScriptRegistry scripts;
  final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  final RedisRunStore runStore;
  final RedisTaskStore taskStore;
  final RedisScheduleStore scheduleStore;
  final PgOrchestrationStore orchestrationStore;
  final PgFunctionStore functionStore;
  final PgRunHistory history;
  final UrlPolicy urlPolicy;
  final RedisWakeSignal wake;
  final RedisTaskSignal taskSignal;
  /** Every instance applies its own definition changes to the schedules at once; only schedulers fire them. */
  final RedisWakeSignal scheduleWake;
  final ScheduleSync scheduleSync;
  final RunMeters runMeters;
  final RunService runs;
  /** The worker slots of this instance that new runs can start in directly; WorkerRole registers its workers. */
  final LocalWorkers localWorkers = new LocalWorkers();
  final EventService events;
  final DefinitionValidator definitionValidator;
  final OrchestrationService orchestrations;
  final TaskService tasks;
  final RedisRunEvents runEvents;
  /** The runs this instance's live-progress streams watch (subscribes to run events on the first stream). */
  final RunWatchers runWatchers;
  final RunOperations runOperations;
  final PgBulkStore bulkStore;
  final BulkMeters bulkMeters;
  /** Names this process in leases (bulk operations). */
  final String instanceId;
  /** Span export: {@link Spans#NONE} unless an OTLP endpoint is configured. */
  final Spans spans;

  Components(Vertx vertx, AppConfig config, Stores stores, StoreAvailability availability, Clock clock) {
    this.vertx = vertx;
    this.config = config;
    this.stores = stores;
    this.availability = availability;
    this.clock = clock;
    Partitions partitions = new Partitions(config.stores().partitions());
    this.ids = new Ids(clock, partitions);
    this.spans = OtelSpans.create(config.tracing());
    this.keyspace = new Keyspace(config.stores().redisPrefix(), partitions, config.triggers().eventStream());
    this.scripts = Scripts.registry(stores.redis);
    this.runStore = new RedisRunStore(stores.redis, scripts, keyspace, clock);
    this.taskStore = new RedisTaskStore(stores.redis, scripts, keyspace, clock);
    this.scheduleStore = new RedisScheduleStore(stores.redis, scripts, keyspace, clock);
    this.orchestrationStore = new PgOrchestrationStore(stores.pool);
    this.functionStore = new PgFunctionStore(stores.pool);
    this.history = new PgRunHistory(stores.pool);
    this.urlPolicy = UrlPolicy.fromAllowList(config.engine().functionUrlAllow());
    this.wake = new RedisWakeSignal(vertx, stores.redis, stores.newRedisClient(vertx), keyspace, clock);
    this.taskSignal = new RedisTaskSignal(vertx, stores.redis, stores.newRedisClient(vertx), keyspace);
    this.scheduleWake = new RedisWakeSignal(vertx, stores.redis, stores.newRedisClient(vertx),
      keyspace.scheduleWakeChannel(), partitions, clock);
    this.scheduleSync = new ScheduleSync(scheduleStore, scheduleWake, clock);
    this.runMeters = new RunMeters(registry);
    LiveOrchestrationCache liveOrchestrations = new LiveOrchestrationCache(orchestrationStore, availability, clock);
    this.runs = new RunService(orchestrationStore, liveOrchestrations, runStore, history, wake, localWorkers, ids,
      runMeters, new StepTypes(orchestrationStore, availability, clock), spans, clock);
    this.events = new EventService(orchestrationStore, runs, new RedisEventDedupe(stores.redis, keyspace), ids);
    this.definitionValidator = new DefinitionValidator(clock);
    this.orchestrations =
      new OrchestrationService(orchestrationStore, functionStore, definitionValidator, ids, clock);
    orchestrations.addListener(scheduleSync);
    orchestrations.addListener(liveOrchestrations);
    this.tasks = new TaskService(vertx, taskStore, taskSignal, wake, config.engine().taskLease(), clock);
    this.runOperations = new RunOperations(runs, orchestrationStore, runStore, history, wake, runMeters, clock);
    this.bulkStore = new PgBulkStore(stores.pool);
    this.bulkMeters = new BulkMeters(registry);
    this.instanceId = System.getenv().getOrDefault("HOSTNAME", "orchestrator") + "-" + ids.next("");
    Gauge.builder("orchestrator.tasks.polls.waiting", tasks::waiting)
      .description("Worker-task long polls waiting on this instance").register(registry);
    this.runEvents = new RedisRunEvents(vertx, stores.newRedisClient(vertx), keyspace);
    this.runWatchers = new RunWatchers(runStore::get, runEvents, config.http().maxStreams());
    Gauge.builder("orchestrator.streams.open", runWatchers::open)
      .description("Live-progress streams (Server-Sent Events) open on this instance").register(registry);
  }

  /** What the API's handlers call. */
  ApiServices apiServices() {
    return new ApiServices(orchestrations, new FunctionService(functionStore, new FunctionValidator(urlPolicy), ids,
      clock), runs, runOperations, new BulkService(runs, runStore, bulkStore, bulkMeters, ids, clock,
      config.stores().redisPrefix()), tasks,
      events, new BearerAuthenticator(JwtAuthFactory.create(vertx, config.auth()), clock),
      registry, availability, new HttpTriggerService(orchestrationStore, runs, SignatureVerifier.create(),
      new RedisTriggerRateLimiter(scripts, keyspace, clock), config.triggers().httpTriggerRatePerSecond(), clock),
      new SchedulePreview(orchestrations, scheduleStore, definitionValidator, clock),
      new SimulationService(orchestrations, new Simulator(clock, config.engine().maxStepsPerRun())),
      runWatchers, config.http().streamHeartbeat(), clock, devTokens());
  }

  /** The console's one-click sign-in exists only in the zero-set-up start: both stores embedded, the HS256 secret. */
  private DevTokens devTokens() {
    boolean zeroSetUp = config.stores().embeddedPg() && config.stores().embeddedRedis();
    return zeroSetUp && config.auth().hmacSecret() != null
      ? new DevTokens(new TokenMinter(vertx, config.auth().hmacSecret()), clock) : null;
  }

  /** Closes the signals' subscriber connections and the span exporter. */
  void close() {
    runEvents.close();
    wake.close();
    taskSignal.close();
    scheduleWake.close();
    spans.close();
  }
}
