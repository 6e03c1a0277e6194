package io.stagewatch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The packages depend one way: the edges ({@code api}, {@code kube}) on the services ({@code pipeline},
 * {@code delivery}), the services on {@code store}, everything on the domain ({@code run}, {@code notification}, {@code platform},
 * {@code workflow}); the
 * configuration ({@code io.stagewatch}) and the concurrency helpers ({@code concurrent}) on nothing of ours. A change
 * that closes a circle fails here.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.stagewatch");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.stagewatch.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void dependenciesPointFromTheEdgesDownToTheDomain() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Config")
                .definedBy("io.stagewatch")
                .layer("Concurrent")
                .definedBy("io.stagewatch.concurrent..")
                .layer("Domain")
                .definedBy(
                        "io.stagewatch.run..",
                        "io.stagewatch.notification..",
                        "io.stagewatch.platform..",
                        "io.stagewatch.workflow..")
                .layer("Store")
                .definedBy("io.stagewatch.store..")
                .layer("Services")
                .definedBy("io.stagewatch.pipeline..", "io.stagewatch.delivery..")
                .layer("Edges")
                .definedBy("io.stagewatch.api..", "io.stagewatch.kube..")
                .whereLayer("Edges")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Services")
                .mayOnlyBeAccessedByLayers("Edges")
                .whereLayer("Store")
                .mayOnlyBeAccessedByLayers("Services", "Edges")
                .whereLayer("Domain")
                .mayOnlyBeAccessedByLayers("Store", "Services", "Edges")
                .whereLayer("Concurrent")
                .mayNotAccessAnyLayer()
                .check(MAIN);
    }

    @Test
    void theDomainIsPure() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.stagewatch.run..",
                        "io.stagewatch.notification..",
                        "io.stagewatch.platform..",
                        "io.stagewatch.workflow..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.vertx..",
                        "io.quarkus..",
                        "jakarta.enterprise..",
                        "io.fabric8.kubernetes.client..",
                        "io.micrometer..")
                .check(MAIN);
    }

    /** Workflows are judged from slim values: the platforms' objects are decoded at the edge ({@code kube}). */
    @Test
    void theWorkflowDomainReadsNoKubernetesObject() {
        noClasses()
                .that()
                .resideInAPackage("io.stagewatch.workflow..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.fabric8..", "com.fasterxml..")
                .check(MAIN);
    }
}
