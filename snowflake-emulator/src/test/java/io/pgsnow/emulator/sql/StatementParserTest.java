package io.pgsnow.emulator.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.emulator.sql.Statement.CopyInto;
import io.pgsnow.emulator.sql.Statement.CreatePipe;
import io.pgsnow.emulator.sql.Statement.CreateTable;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatementParserTest {

  private static final SessionValues SESSION = new SessionValues("U", "R", "W", "A");

  private static Statement parse(String sql) {
    return StatementParser.parse(sql, SESSION);
  }

  @Test
  void createTableKeepsDeclaredSnowflakeTypes() {
    CreateTable ct =
        (CreateTable)
            parse(
                "create table if not exists kafka_db.public.\"t1\" (record_metadata variant,"
                    + " \"Content\" object, amount number(10,2) not null, name string)");
    assertThat(ct.name()).isEqualTo(new ObjectName("KAFKA_DB", "PUBLIC", "t1"));
    assertThat(ct.ifNotExists()).isTrue();
    assertThat(ct.columns())
        .extracting(
            c ->
                c.name()
                    + " "
                    + c.type().label()
                    + " "
                    + c.type().duckType()
                    + " "
                    + c.constraints())
        .containsExactly(
            "RECORD_METADATA VARIANT JSON ",
            "Content OBJECT JSON ",
            "AMOUNT NUMBER(10,2) DECIMAL(10,2) NOT NULL",
            "NAME VARCHAR(16777216) VARCHAR ");
  }

  @Test
  void createPipeKeepsDefinitionVerbatimAndParsesCopy() {
    String copy =
        "copy into T(RECORD_METADATA, RECORD_CONTENT) from (select $1:meta,"
            + " $1:content from @My_Stage t) file_format = (type = 'json')";
    CreatePipe pipe = (CreatePipe) parse("create pipe if not exists P1 as " + copy);
    assertThat(pipe.definition()).isEqualTo(copy);
    assertThat(pipe.ifNotExists()).isTrue();
    CopyInto c = pipe.copy();
    assertThat(c.columns()).containsExactly("RECORD_METADATA", "RECORD_CONTENT");
    assertThat(c.source())
        .isEqualTo(new StageRef(StageRef.Kind.NAMED, ObjectName.of("MY_STAGE"), ""));
    assertThat(c.projections().orElseThrow())
        .extracting(p -> p.column() + ":" + p.path())
        .containsExactly("1:[meta]", "1:[content]");
    assertThat(c.fileFormatType()).isEqualTo("JSON");
  }

  @Test
  void copyOptions() {
    CopyInto c =
        (CopyInto)
            parse(
                "COPY INTO t FROM @%t/dir/ FILES = ('a.json', 'b.json')"
                    + " PATTERN = '.*[.]json' FILE_FORMAT = (TYPE = JSON STRIP_OUTER_ARRAY = TRUE)"
                    + " MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE ON_ERROR = CONTINUE FORCE = TRUE");
    assertThat(c.source().kind()).isEqualTo(StageRef.Kind.TABLE);
    assertThat(c.source().path()).isEqualTo("dir/");
    assertThat(c.files()).containsExactly("a.json", "b.json");
    assertThat(c.pattern()).contains(".*[.]json");
    assertThat(c.stripOuterArray()).isTrue();
    assertThat(c.matchByColumnName()).isEqualTo("CASE_INSENSITIVE");
    assertThat(c.onError()).isEqualTo("CONTINUE");
    assertThat(c.force()).isTrue();
  }

  @Test
  void putAndGetTakeTheLocalPathVerbatim() {
    Statement.Put put =
        (Statement.Put)
            parse(
                "PUT file:///tmp/0_9_123.json.gz @kafka_db.public.stg/conn/t/0 AUTO_COMPRESS=FALSE"
                    + " overwrite=true");
    assertThat(put.localPath()).isEqualTo("/tmp/0_9_123.json.gz");
    assertThat(put.stage().name()).isEqualTo(new ObjectName("KAFKA_DB", "PUBLIC", "STG"));
    assertThat(put.stage().path()).isEqualTo("conn/t/0");
    assertThat(put.autoCompress()).isFalse();
    assertThat(put.overwrite()).isTrue();
    Statement.Get get =
        (Statement.Get)
            parse("get @stg/a.json.gz file:///tmp/ /*jdbc download stream*/ PATTERN=\".*a.*\"");
    assertThat(get.localDirectory()).isEqualTo("/tmp/");
    assertThat(get.pattern()).contains(".*a.*");
  }

  @Test
  void showDescribeUseAndAccepted() {
    assertThat(parse("show tables like 'TOPIC%' in database kafka_db"))
        .isEqualTo(
            new Statement.Show(
                "TABLES",
                Optional.of("TOPIC%"),
                Optional.of(ObjectName.of("KAFKA_DB")),
                "DATABASE"));
    assertThat(parse("show schemas in account"))
        .isEqualTo(new Statement.Show("SCHEMAS", Optional.empty(), Optional.empty(), "ACCOUNT"));
    assertThat(parse("desc pipe p")).isEqualTo(new Statement.Describe("PIPE", ObjectName.of("P")));
    assertThat(parse("describe t")).isEqualTo(new Statement.Describe("TABLE", ObjectName.of("T")));
    assertThat(parse("use kafka_db"))
        .isEqualTo(new Statement.Use("DATABASE", ObjectName.of("KAFKA_DB")));
    assertThat(parse("grant usage, create table on schema s to role r"))
        .isEqualTo(
            new Statement.GrantPrivileges(
                List.of("USAGE", "CREATE TABLE"), "SCHEMA", ObjectName.of("S"), "R"));
    assertThat(parse("grant role r to user u")).isEqualTo(new Statement.GrantRole("R", "U"));
    assertThatThrownBy(() -> parse("grant all on schema s to role r"))
        .hasMessageContaining("Unsupported feature 'GRANT ALL ON SCHEMA'");
    assertThat(parse("alter session set timezone = 'UTC'")).isInstanceOf(Statement.Accepted.class);
  }

  @Test
  void alterUserSetsKey() {
    assertThat(parse("ALTER USER douglas SET RSA_PUBLIC_KEY = 'MIIB'"))
        .isEqualTo(
            new Statement.UserDdl(
                ObjectName.of("DOUGLAS"), Optional.empty(), Optional.of("MIIB"), Optional.empty()));
    assertThat(parse("ALTER USER douglas SET DEFAULT_ROLE = loader"))
        .isEqualTo(
            new Statement.UserDdl(
                ObjectName.of("DOUGLAS"),
                Optional.empty(),
                Optional.empty(),
                Optional.of("LOADER")));
  }

  @Test
  void identifierBindsAreSubstitutedAndConsumed() {
    IdentifierBinding.Result r =
        IdentifierBinding.apply(
            SqlLexer.tokenize("desc table identifier(?) where x = ? and y = identifier('z')"),
            List.of("db.sch.\"Tbl\"", "7"));
    StringBuilder sql = new StringBuilder();
    r.tokens().forEach(t -> sql.append(t.text()));
    assertThat(sql.toString()).isEqualTo("desc table db.sch.\"Tbl\" where x = ? and y = z");
    assertThat(r.consumedBinds()).containsExactly(1);
  }

  @Test
  void unknownStatementIsASyntaxError() {
    assertThatThrownBy(() -> parse("frobnicate everything"))
        .isInstanceOfSatisfying(
            SnowflakeSqlException.class,
            e -> assertThat(e.errorCode()).isEqualTo(SnowflakeSqlException.SYNTAX_ERROR));
  }
}
