package ponte.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ponte.adapters.http.archfixture.ReachesIntoPersistence;
import ponte.application.port.in.archfixture.LeaksAnOutPortType;
import ponte.domain.archfixture.ClockReadingPolicy;

/**
 * The module descriptors are the first line of defence; these rules are the second, and each is shown to fail on
 * a class that breaks it (and, as every rule must, on a package with no classes at all).
 */
class ArchitectureTest {
    static final ArchRule DOMAIN_DEPENDS_ON_JAVA_ONLY = classes().that().resideInAPackage("ponte.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("ponte.domain..", "java..")
            .because("the domain is plain Java: no framework");

    static final ArchRule APPLICATION_DEPENDS_ON_DOMAIN_ONLY = classes().that().resideInAPackage("ponte.application..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("ponte.application..", "ponte.domain..", "java..");

    static final ArchRule ADAPTERS_NEVER_IMPORT_EACH_OTHER = slices().matching("ponte.adapters.(*)..")
            .should().notDependOnEachOther();

    static final ArchRule CORE_NEVER_IMPORTS_ADAPTERS = noClasses().that()
            .resideInAnyPackage("ponte.domain..", "ponte.application..")
            .should().dependOnClassesThat().resideInAnyPackage("ponte.adapters..", "ponte.bootstrap..");

    static final ArchRule IN_PORTS_NEVER_SHOW_OUT_PORTS = noClasses().that()
            .resideInAPackage("ponte.application.port.in..")
            .should().dependOnClassesThat().resideInAPackage("ponte.application.port.out..")
            .because("a driving adapter sees in-ports only; what both sides share lives in ponte.application.model");

    static final ArchRule JAVALIN_ONLY_IN_HTTP = noClasses().that().resideOutsideOfPackage("ponte.adapters.http..")
            .and().resideInAPackage("ponte..")
            .should().dependOnClassesThat().resideInAPackage("io.javalin..");

    static final ArchRule JDBI_ONLY_IN_STORES = noClasses().that()
            .resideOutsideOfPackages("ponte.adapters.persistence..", "ponte.adapters.whatsapp..store..")
            .and().resideInAPackage("ponte..")
            .should().dependOnClassesThat().resideInAPackage("org.jdbi..");

    static final ArchRule AWS_SDK_ONLY_IN_DELIVERY = noClasses().that()
            .resideOutsideOfPackage("ponte.adapters.delivery..").and().resideInAPackage("ponte..")
            .should().dependOnClassesThat().resideInAPackage("software.amazon..");

    static final ArchRule DOMAIN_READS_NO_CLOCK_OR_RANDOMNESS = noClasses().that().resideInAPackage("ponte.domain..")
            .should().callMethod(Instant.class, "now")
            .orShould().callMethod(Clock.class, "systemUTC")
            .orShould().callMethod(Clock.class, "systemDefaultZone")
            .orShould().callMethod(LocalDateTime.class, "now")
            .orShould().callMethod(System.class, "currentTimeMillis")
            .orShould().callMethod(UUID.class, "randomUUID")
            .orShould().callConstructor(Random.class)
            .orShould().callConstructor(SecureRandom.class)
            .because("time and randomness are passed into the domain, so its behaviour is repeatable");

    private static JavaClasses production;
    private static JavaClasses violations;

    @BeforeAll
    static void importClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ponte");
        violations = new ClassFileImporter().importClasses(ClockReadingPolicy.class, ReachesIntoPersistence.class,
                ponte.adapters.persistence.PersistenceAdapter.class, LeaksAnOutPortType.class);
    }

    @Test
    void theDomainDependsOnNothingOutsideJava() {
        DOMAIN_DEPENDS_ON_JAVA_ONLY.check(production);
        assertThatThrownBy(() -> DOMAIN_DEPENDS_ON_JAVA_ONLY.check(violations)).hasMessageContaining("io.javalin");
    }

    @Test
    void theApplicationDependsOnTheDomainOnly() {
        APPLICATION_DEPENDS_ON_DOMAIN_ONLY.check(production);
    }

    @Test
    void theCoreNeverImportsAnAdapter() {
        CORE_NEVER_IMPORTS_ADAPTERS.check(production);
    }

    @Test
    void adaptersNeverImportEachOther() {
        ADAPTERS_NEVER_IMPORT_EACH_OTHER.check(production);
        assertThatThrownBy(() -> ADAPTERS_NEVER_IMPORT_EACH_OTHER.check(violations))
                .hasMessageContaining("ReachesIntoPersistence");
    }

    @Test
    void inPortsNeverShowAnOutPortType() {
        IN_PORTS_NEVER_SHOW_OUT_PORTS.check(production);
        assertThatThrownBy(() -> IN_PORTS_NEVER_SHOW_OUT_PORTS.check(violations))
                .hasMessageContaining("LeaksAnOutPortType");
    }

    @Test
    void javalinStaysInTheHttpAdapter() {
        JAVALIN_ONLY_IN_HTTP.check(production);
        assertThatThrownBy(() -> JAVALIN_ONLY_IN_HTTP.check(violations)).hasMessageContaining("ClockReadingPolicy");
    }

    @Test
    void jdbiStaysInThePersistenceAdapterAndTheWhatsAppStore() {
        JDBI_ONLY_IN_STORES.check(production);
        assertThatThrownBy(() -> JDBI_ONLY_IN_STORES.check(violations)).hasMessageContaining("ReachesIntoPersistence");
    }

    @Test
    void theAwsSdkStaysInTheDeliveryAdapter() {
        AWS_SDK_ONLY_IN_DELIVERY.check(production);
    }

    @Test
    void theDomainReadsNoClockAndNoRandomSource() {
        DOMAIN_READS_NO_CLOCK_OR_RANDOMNESS.check(production);
        assertThatThrownBy(() -> DOMAIN_READS_NO_CLOCK_OR_RANDOMNESS.check(violations))
                .hasMessageContaining("Instant.now()").hasMessageContaining("Random.<init>");
    }

    @Test
    void aRuleOverAPackageWithNoClassesFails() {
        var ruleOverNothing = classes().that().resideInAPackage("ponte.no.such.package..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..");
        assertThatThrownBy(() -> ruleOverNothing.check(production)).hasMessageContaining("failed to check any classes");
    }
}
