package io.pgsnow.emulator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SQL, auth and fault code stays pure; only the engine touches DuckDB, only http serves; the
 * packages depend on each other one way (http, pipe → engine → load → sql).
 */
class LayeringTest {

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.pgsnow.emulator");
  }

  @Test
  void pureCoreHasNoIo() {
    noClasses()
        .that()
        .resideInAnyPackage("..emulator.sql..", "..emulator.auth..", "..emulator.fault..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "org.duckdb..",
            "com.sun.net.httpserver..",
            "..emulator.engine..",
            "..emulator.http..",
            "..emulator.load..")
        .check(classes);
  }

  @Test
  void engineKnowsNothingOfHttp() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "..emulator.engine..", "..emulator.load..", "..emulator.pipe..", "..emulator.stage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.sun.net.httpserver..", "..emulator.http..")
        .check(classes);
  }

  @Test
  void packagesFormNoCycle() {
    slices().matching("io.pgsnow.emulator.(*)..").should().beFreeOfCycles().check(classes);
  }
}
