package io.c360.pipelines;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.apache.beam.sdk.transforms.DoFn;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/ARCHITECTURE.md, checked on the main classes of both modules: what each
 * package may use, that the library never uses the application, and that no package reaches into
 * another's internals (its DoFns, or Beam's vendored libraries).
 */
class ArchitectureTest {
  private static final JavaClasses C360 =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("io.c360");

  private static final String[] STAGES = {"ingest", "clean", "dedup", "scd2", "kpi"};

  @Test
  void transformsNeverUsePipelines() {
    noClasses()
        .that()
        .resideInAPackage("io.c360.transforms..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.c360.pipelines..")
        .check(C360);
  }

  @Test
  void eachPackageUsesOnlyThePackagesBelowIt() {
    String[] foundation = {"quality", "grouping", "jdbc", "model", "common"};
    String[] library = concat(concat(STAGES, new String[] {"facts"}), foundation);
    layeredArchitecture()
        .consideringOnlyDependenciesInLayers()
        .layer("cli")
        .definedBy("io.c360.pipelines.cli..")
        .layer("daily")
        .definedBy("io.c360.pipelines.daily..")
        .layer("checks")
        .definedBy("io.c360.pipelines.checks..")
        .layer("generate")
        .definedBy("io.c360.pipelines.generate..")
        .layer("db")
        .definedBy("io.c360.pipelines.db..")
        .layer("report")
        .definedBy("io.c360.pipelines.report..")
        .layer("ingest")
        .definedBy("io.c360.transforms.ingest..")
        .layer("clean")
        .definedBy("io.c360.transforms.clean..")
        .layer("dedup")
        .definedBy("io.c360.transforms.dedup..")
        .layer("scd2")
        .definedBy("io.c360.transforms.scd2..")
        .layer("kpi")
        .definedBy("io.c360.transforms.kpi..")
        .layer("facts")
        .definedBy("io.c360.transforms.facts..")
        .layer("quality")
        .definedBy("io.c360.transforms.quality..")
        .layer("grouping")
        .definedBy("io.c360.transforms.grouping..")
        .layer("jdbc")
        .definedBy("io.c360.transforms.jdbc..")
        .layer("model")
        .definedBy("io.c360.transforms.model..")
        .layer("common")
        .definedBy("io.c360.transforms.common..")
        .whereLayer("cli")
        .mayOnlyAccessLayers(
            concat(new String[] {"daily", "checks", "generate", "db", "report"}, library))
        .whereLayer("daily")
        .mayOnlyAccessLayers(concat(new String[] {"checks", "db", "report"}, library))
        .whereLayer("checks")
        .mayOnlyAccessLayers(concat(new String[] {"db"}, library))
        .whereLayer("report")
        .mayOnlyAccessLayers("jdbc", "common")
        .whereLayer("generate")
        .mayOnlyAccessLayers("model", "common")
        .whereLayer("db")
        .mayOnlyAccessLayers("jdbc", "model", "common")
        .whereLayer("ingest")
        .mayOnlyAccessLayers(foundation)
        .whereLayer("clean")
        .mayOnlyAccessLayers(foundation)
        .whereLayer("dedup")
        .mayOnlyAccessLayers(foundation)
        .whereLayer("scd2")
        .mayOnlyAccessLayers(foundation)
        .whereLayer("kpi")
        .mayOnlyAccessLayers(foundation)
        // a fact is keyed to the versions scd2 keeps: its point-in-time rule and dimension specs
        .whereLayer("facts")
        .mayOnlyAccessLayers(concat(new String[] {"scd2"}, foundation))
        .whereLayer("quality")
        .mayOnlyAccessLayers("model", "common")
        .whereLayer("grouping")
        .mayOnlyAccessLayers("common")
        .whereLayer("jdbc")
        .mayOnlyAccessLayers("common")
        .whereLayer("model")
        .mayOnlyAccessLayers("common")
        .whereLayer("common")
        .mayNotAccessAnyLayer()
        .check(C360);
  }

  /** A package's DoFns are how it does its job; other packages apply its transforms instead. */
  @Test
  void noPackageUsesAnotherPackagesDoFns() {
    classes()
        .that()
        .resideInAPackage("io.c360..")
        .and()
        .areAssignableTo(DoFn.class)
        .should(onlyBeUsedInTheirOwnPackage())
        .check(C360);
  }

  /**
   * Beam's vendored Guava and gRPC are Beam's internals (their package names change with Beam's
   * releases). {@code ingest.CsvFiles} still uses {@code ByteStreams.limit}: reported, left to the
   * owners of ingest.
   */
  @Test
  void noPackageUsesBeamsVendoredLibraries() {
    noClasses()
        .that()
        .resideInAPackage("io.c360..")
        .and()
        .doNotHaveFullyQualifiedName("io.c360.transforms.ingest.CsvFiles")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.beam.vendor..")
        .check(C360);
  }

  private static ArchCondition<JavaClass> onlyBeUsedInTheirOwnPackage() {
    return new ArchCondition<>("only be used in their own package") {
      @Override
      public void check(JavaClass doFn, ConditionEvents events) {
        for (Dependency d : doFn.getDirectDependenciesToSelf()) {
          JavaClass user = d.getOriginClass();
          if (!user.getPackageName().equals(doFn.getPackageName())) {
            events.add(SimpleConditionEvent.violated(d, d.getDescription()));
          }
        }
      }
    };
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
