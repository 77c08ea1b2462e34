package io.pgsnow.sink;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.connect.sink.SinkConnector;
import org.junit.jupiter.api.Test;

/** The pure core (naming, DDL, buffer, partition state, recovery plan) touches no I/O API. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.pgsnow.sink");

  @Test
  void theCoreImportsNoIo() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.pgsnow.sink.naming..",
            "io.pgsnow.sink.ddl..",
            "io.pgsnow.sink.buffer..",
            "io.pgsnow.sink.partition..",
            "io.pgsnow.sink.recovery..",
            "io.pgsnow.sink.auth..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..", "net.snowflake..", "java.net..", "io.pgsnow.sink.ingest..")
        .check(CLASSES);
  }

  @Test
  void subPackagesDoNotDependOnTheRootConfigClass() {
    // What they need of the configuration comes as values; validation that speaks in config keys
    // (ConnectionCheck) lives in the root package.
    noClasses()
        .that()
        .resideInAnyPackage("io.pgsnow.sink.*..")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(SnowflakeSinkConfig.class)
        .check(CLASSES);
  }

  @Test
  void subPackagesFormNoCycle() {
    slices().matching("io.pgsnow.sink.(*)..").should().beFreeOfCycles().check(CLASSES);
  }

  @Test
  void everyConnectorIsRegisteredForServiceLoading() throws IOException {
    try (InputStream in =
        getClass().getResourceAsStream("/META-INF/services/" + SinkConnector.class.getName())) {
      String services = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      CLASSES.stream()
          .filter(
              c ->
                  c.isAssignableTo(SinkConnector.class)
                      && !c.getModifiers().contains(JavaModifier.ABSTRACT))
          .forEach(c -> assertThat(services).contains(c.getName()));
      assertThat(services).contains(SnowflakeSinkConnector.class.getName());
    }
  }
}
