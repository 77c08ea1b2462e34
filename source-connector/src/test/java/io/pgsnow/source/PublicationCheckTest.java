package io.pgsnow.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgsnow.source.replication.ReplicationSetup.TableName;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PublicationCheckTest {
  private static final TableName ORDERS = new TableName("public", "orders");
  private static final TableName ITEMS = new TableName("public", "order items");

  private static PostgresCdcSourceConfig config(String mode, String include, String skipped) {
    Map<String, String> props = new HashMap<>();
    props.put("database.hostname", "localhost");
    props.put("database.user", "cdc");
    props.put("database.dbname", "d");
    props.put("topic.prefix", "pg");
    props.put("publication.name", "pub");
    props.put("publication.autocreate.mode", mode);
    props.put("table.include.list", include);
    props.put("skipped.operations", skipped);
    return new PostgresCdcSourceConfig(props);
  }

  private static PublicationCheck.State publication(boolean allTables, TableName... tables) {
    return new PublicationCheck.State(
        allTables, true, true, true, true, true, "cdc", Set.of(tables));
  }

  @Test
  void reportsIncludedTablesThePublicationLacksWhereTheConnectorDoesNotSetItsTables() {
    for (String mode : List.of("disabled", "all_tables")) {
      List<PublicationCheck.Problem> problems =
          PublicationCheck.problems(
              config(mode, "public\\.order.*", "t"),
              publication(false, ORDERS),
              List.of(ORDERS, ITEMS));
      assertThat(problems).hasSize(1);
      assertThat(problems.get(0).key()).isEqualTo("publication.name");
      assertThat(problems.get(0).message())
          .contains("does not publish table public.\"order items\",")
          .contains("ALTER PUBLICATION \"pub\" ADD TABLE \"public\".\"order items\"")
          .contains("publication.autocreate.mode=filtered")
          .doesNotContain("public.orders");
    }
  }

  @Test
  void acceptsAPublicationForAllTablesOrWithoutAnIncludeList() {
    assertThat(
            PublicationCheck.problems(
                config("disabled", "public\\.order.*", "t"),
                publication(true),
                List.of(ORDERS, ITEMS)))
        .isEmpty();
    // Without an include list the publication decides what is captured.
    assertThat(
            PublicationCheck.problems(
                config("disabled", "", "t"), publication(false, ORDERS), List.of(ORDERS, ITEMS)))
        .isEmpty();
    // Filtered mode sets the table list itself at start.
    assertThat(
            PublicationCheck.problems(
                config("filtered", "public\\.order.*", "t"),
                publication(false, ORDERS),
                List.of(ORDERS, ITEMS)))
        .isEmpty();
  }

  @Test
  void filteredModeCannotSetTheTablesOfAPublicationForAllTablesOrOfAnotherRole() {
    List<PublicationCheck.Problem> problems =
        PublicationCheck.problems(config("filtered", "", "t"), publication(true), List.of(ORDERS));
    assertThat(problems)
        .extracting(PublicationCheck.Problem::key)
        .containsExactly("publication.autocreate.mode");
    assertThat(problems.get(0).message()).contains("FOR ALL TABLES").contains("all_tables");

    PublicationCheck.State foreign =
        new PublicationCheck.State(false, true, true, true, true, false, "dba", Set.of(ORDERS));
    problems = PublicationCheck.problems(config("filtered", "", "t"), foreign, List.of(ORDERS));
    assertThat(problems)
        .extracting(PublicationCheck.Problem::key)
        .containsExactly("publication.name");
    assertThat(problems.get(0).message())
        .contains("belongs to role dba")
        .contains("OWNER TO \"cdc\"");
  }

  @Test
  void reportsOperationsThePublicationDoesNotPublishUnlessSkipped() {
    PublicationCheck.State noDeletes =
        new PublicationCheck.State(true, true, true, false, false, true, "cdc", Set.of());
    List<PublicationCheck.Problem> problems =
        PublicationCheck.problems(config("all_tables", "", "t"), noDeletes, List.of(ORDERS));
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).key()).isEqualTo("publication.name");
    assertThat(problems.get(0).message())
        .contains("does not publish deletes,")
        .contains("SET (publish = 'insert, update, delete, truncate')")
        .contains("skipped.operations");
    assertThat(PublicationCheck.problems(config("all_tables", "", "d,t"), noDeletes, List.of()))
        .isEmpty();
    assertThat(PublicationCheck.problems(config("all_tables", "", "none"), noDeletes, List.of()))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("deletes, truncates"));
  }
}
