package io.pgsnow.source;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.api.Test;

/** The pure core (decoding, events, schema, offsets, naming) touches no database or network API. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.pgsnow.source");

  @Test
  void theCoreImportsNoIo() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.pgsnow.source.decoding..",
            "io.pgsnow.source.events..",
            "io.pgsnow.source.schema..",
            "io.pgsnow.source.offsets..",
            "io.pgsnow.source.naming..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "org.postgresql..", "java.net..")
        .check(CLASSES);
  }

  @Test
  void theCoreDoesNotReachIntoReplication() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.pgsnow.source.decoding..",
            "io.pgsnow.source.events..",
            "io.pgsnow.source.schema..",
            "io.pgsnow.source.naming..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.pgsnow.source.replication..")
        .check(CLASSES);
  }

  @Test
  void subPackagesDoNotDependOnTheRootConfigClass() {
    // What they need of the configuration comes as values (io.pgsnow.source.config); validation
    // that speaks in config keys lives in the root package.
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.pgsnow.source.config..",
            "io.pgsnow.source.decoding..",
            "io.pgsnow.source.events..",
            "io.pgsnow.source.heartbeat..",
            "io.pgsnow.source.schema..",
            "io.pgsnow.source.offsets..",
            "io.pgsnow.source.naming..",
            "io.pgsnow.source.metrics..",
            "io.pgsnow.source.replication..",
            "io.pgsnow.source.snapshot..")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(PostgresCdcSourceConfig.class)
        .check(CLASSES);
  }

  @Test
  void subPackagesFormNoCycle() {
    slices().matching("io.pgsnow.source.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void everyConnectorIsRegisteredForServiceLoading() throws IOException {
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/services/" + SourceConnector.class.getName())) {
      String services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      CLASSES.stream()
          .filter(
              c ->
                  c.isAssignableTo(SourceConnector.class)
                      && !c.getModifiers()
                          .contains(com.tngtech.archunit.core.domain.JavaModifier.ABSTRACT))
          .forEach(c -> assertThat(services).contains(c.getName()));
      assertThat(services).contains(PostgresCdcSourceConnector.class.getName());
    }
  }
}
