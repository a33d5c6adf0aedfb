package io.shmipc.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The project's architecture, checked on the compiled classes of every module.
 *
 * <p>The engine's public API is the package {@code io.shmipc.core}; everything below
 * {@code io.shmipc.core.internal} is engine internals, public only so the engine's own packages can
 * share it. The Spring API ({@code io.shmipc.spring}, module shmipc-spring) is plain Spring Framework;
 * Spring Boot comes in only with the auto-configuration ({@code io.shmipc.spring.autoconfigure}) and the
 * test support for Boot applications ({@code io.shmipc.spring.test}).
 */
@AnalyzeClasses(locations = ModuleClasses.class)
class ArchitectureTest {

    /** The Boot test support (module shmipc-spring-boot-test), which builds on Boot's test support. */
    static final String TEST_SUPPORT = "io.shmipc.spring.test..";

    /** Where the engine's internals live. */
    static final String ENGINE_INTERNALS = "io.shmipc.core.internal..";

    @ArchTest
    static final ArchRule engineUsesNoSpringAndNoMicrometer = noClasses()
            .that()
            .resideInAPackage("io.shmipc.core..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "io.micrometer..")
            .because("the engine is a plain Java library that any application can use without Spring");

    @ArchTest
    static final ArchRule springApiUsesNeitherTheAutoConfigurationNorBoot = noClasses()
            .that()
            .resideInAPackage("io.shmipc.spring..")
            .and()
            .resideOutsideOfPackages("io.shmipc.spring.autoconfigure..", TEST_SUPPORT)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.shmipc.spring.autoconfigure..", "org.springframework.boot..")
            .because("the Spring API works in a plain Spring application; only the auto-configuration"
                    + " wires it for Boot");

    @ArchTest
    static final ArchRule nothingOutsideTheEngineUsesEngineInternals = noClasses()
            .that()
            .resideOutsideOfPackage("io.shmipc.core..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage(ENGINE_INTERNALS)
            .because("engine internals may change in any release; io.shmipc.core is the API");

    @ArchTest
    static final ArchRule samplesUseOnlyThePublicApi = noClasses()
            .that()
            .resideInAPackage("io.shmipc.sample..")
            // Spring AOT writes classes such as App__BeanFactoryRegistrations into the sample's package; they
            // register the auto-configuration's beans by design and are not code a user writes.
            .and()
            .haveSimpleNameNotContaining("__")
            .should()
            .dependOnClassesThat(resideInAPackage("io.shmipc..")
                    .and(not(resideInAnyPackage("io.shmipc.sample..", "io.shmipc.core", "io.shmipc.spring.."))
                            .or(resideInAnyPackage("io.shmipc.spring.autoconfigure..", "..internal.."))))
            .because("the samples show what a user writes: the engine API, the Spring API and properties,"
                    + " never internals or the auto-configuration's classes");
}
