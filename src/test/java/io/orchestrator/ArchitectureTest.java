package io.orchestrator;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

/**
 * The layering of {@code docs/architecture.md}, checked on the compiled main classes: capabilities import each
 * other's records and ports in one direction only, the database clients stay in {@code store}, vertx-web stays in
 * {@code api} (the OpenAPI router's internals and its work-arounds in {@code api.openapi}), and the Decider is plain
 * Java.
 */
@AnalyzeClasses(packages = "io.orchestrator", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String[] CAPABILITIES = {"io.orchestrator.auth..", "io.orchestrator.availability..", "io.orchestrator.bulk..",
    "io.orchestrator.common..", "io.orchestrator.config..", "io.orchestrator.definitions..",
    "io.orchestrator.engine..", "io.orchestrator.functions..", "io.orchestrator.runs..", "io.orchestrator.schedule..",
    "io.orchestrator.tasks..", "io.orchestrator.tracing..", "io.orchestrator.triggers..",
    "io.orchestrator.validation.."};

  @ArchTest
  static final ArchRule noCyclesBetweenPackages = slices().matching("io.orchestrator.(**)")
    .should().beFreeOfCycles()
    .as("no cycles between packages (capabilities, their sub-packages, api and store)");

  @ArchTest
  static final ArchRule capabilitiesUseNoAdapters = noClasses().that().resideInAnyPackage(CAPABILITIES)
    .should().dependOnClassesThat().resideInAnyPackage("io.orchestrator.store..", "io.orchestrator.api..")
    .as("capabilities know ports and records, never the store or HTTP adapters");

  @ArchTest
  static final ArchRule onlyStoreUsesDatabaseClients = noClasses().that()
    .resideOutsideOfPackages("io.orchestrator.store..")
    .and().doNotHaveFullyQualifiedName(Orchestrator.class.getName())
    .should().dependOnClassesThat().resideInAnyPackage("io.vertx.pgclient..", "io.vertx.sqlclient..",
      "io.vertx.redis..")
    .as("only store.* (and the composition root, which hands the clients to it) touches PostgreSQL and Redis "
      + "clients");

  @ArchTest
  static final ArchRule onlyTracingUsesTheOpenTelemetrySdk = noClasses().that()
    .resideOutsideOfPackage("io.orchestrator.tracing..")
    .should().dependOnClassesThat().resideInAnyPackage("io.opentelemetry..")
    .as("only tracing uses the OpenTelemetry SDK (built only when an OTLP endpoint is set)");

  @ArchTest
  static final ArchRule onlyApiUsesVertxWeb = noClasses().that().resideOutsideOfPackage("io.orchestrator.api..")
    .should().dependOnClassesThat().resideInAnyPackage("io.vertx.ext.web..", "io.vertx.openapi..")
    .as("only api uses vertx-web and the OpenAPI router");

  @ArchTest
  static final ArchRule openApiWorkaroundsStandAlone = noClasses().that()
    .resideInAPackage("io.orchestrator.api.openapi")
    .should().dependOnClassesThat().resideInAPackage("io.orchestrator.api")
    .as("the OpenAPI router work-arounds (api.openapi) know nothing of the API's handlers or renderer");

  @ArchTest
  static final ArchRule onlyApiOpenapiTouchesTheRouterInternals = noClasses().that()
    .resideOutsideOfPackage("io.orchestrator.api.openapi")
    .should().dependOnClassesThat(resideInAnyPackage("io.vertx.openapi..", "io.vertx.ext.web.openapi..",
        "io.vertx.json.schema..")
      .and(not(belongToAnyOf(ValidatedRequest.class, RequestParameter.class, RouterBuilder.class))))
    .as("the OpenAPI router, its contract and validator are used in api.openapi only; handlers just read the "
      + "validated request");

  @ArchTest
  static final ArchRule decisionsArePlainJava = classes().that().haveSimpleNameStartingWith("Decider")
    .or().haveSimpleNameStartingWith("ConditionEvaluator").or().haveSimpleNameStartingWith("DecisionOutcome")
    .or().haveSimpleNameStartingWith("PathResolver").or().haveSimpleNameStartingWith("JsonEquality")
    .should().onlyDependOnClassesThat().resideOutsideOfPackage("io.vertx..")
    .as("the Decider and the condition evaluator import no io.vertx");
}
