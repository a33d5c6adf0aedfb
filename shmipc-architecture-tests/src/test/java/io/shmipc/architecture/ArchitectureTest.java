package io.shmipc.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

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

    @ArchTest
    static final ArchRule everyPackageIsNullMarked = classes()
            .that()
            .resideInAPackage("io.shmipc..")
            // JMH writes its benchmark harness into a package of its own; it is generated, not written here.
            .and()
            .resideOutsideOfPackage("..jmh_generated..")
            .should(resideInANullMarkedPackage())
            .because("every package says in its package-info that its types are non-null unless marked"
                    + " @Nullable, so that NullAway checks it and users of the API see where null is allowed");

    /** The JSpecify annotation, by name: this module does not depend on the modules it reads. */
    static final String NULL_MARKED = "org.jspecify.annotations.NullMarked";

    private static ArchCondition<JavaClass> resideInANullMarkedPackage() {
        return new ArchCondition<>("reside in a package whose package-info is annotated with @NullMarked") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                boolean marked = javaClass
                        .getPackage()
                        .tryGetPackageInfo()
                        .map(info -> info.isAnnotatedWith(NULL_MARKED))
                        .orElse(false);
                if (!marked) {
                    events.add(SimpleConditionEvent.violated(
                            javaClass,
                            javaClass.getName() + " is in package " + javaClass.getPackageName()
                                    + ", which has no package-info.java annotated with @" + NULL_MARKED
                                    + "; add one with a one-line javadoc that says what the package is"));
                }
            }
        };
    }
}
