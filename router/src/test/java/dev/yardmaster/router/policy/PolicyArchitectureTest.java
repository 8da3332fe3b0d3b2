package dev.yardmaster.router.policy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Policy code stays pure so the simulator and JMH run it as is (DESIGN.md "Maven modules"). */
class PolicyArchitectureTest {

  @Test
  void policyPackagesImportNoServerCloudOrJsonLibrary() {
    JavaClasses classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> location.contains("/policy/")) // fast: only what the rule reads
        .importPackages("dev.yardmaster");
    noClasses()
        .that().resideInAPackage("..policy..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "com.linecorp.armeria..",
            "io.grpc..",
            "ai.onnxruntime..",
            "software.amazon.awssdk..",
            "com.fasterxml.jackson..")
        .because("policy code is a pure function the simulator and JMH call as is")
        .check(classes);
  }
}
