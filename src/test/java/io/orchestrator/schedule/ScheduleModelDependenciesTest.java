package io.orchestrator.schedule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The schedule model is shared by the definitions validator and the scheduler, which depends on definitions: it may
 * depend on neither (that would be a cycle), nor on Vert.x, so previews and tests run it as plain Java.
 */
@AnalyzeClasses(packages = "io.orchestrator.schedule", importOptions = ImportOption.DoNotIncludeTests.class)
class ScheduleModelDependenciesTest {

  @ArchTest
  static final ArchRule plainJavaAndCronUtilsOnly = classes().that().resideInAPackage("io.orchestrator.schedule..")
    .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "com.cronutils..", "io.orchestrator.schedule..")
    .as("the schedule model depends on the JDK and cron-utils only");
}
