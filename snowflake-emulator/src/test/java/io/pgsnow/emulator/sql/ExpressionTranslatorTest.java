package io.pgsnow.emulator.sql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionTranslatorTest {

  private static final SessionValues SESSION =
      new SessionValues("ALICE", "SYSADMIN", "COMPUTE_WH", "ACME");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          select id from t                           | SELECT ID FROM T
          select "id" from "Mixed"                   | SELECT "id" FROM "Mixed"
          select RECORD_CONTENT:employee_id::NUMBER as x from t | SELECT CAST(json_extract_string(RECORD_CONTENT, '$."employee_id"') AS DECIMAL(38,0)) AS X FROM T
          select col:a.b[0]::STRING from t           | SELECT json_extract_string(COL, '$."a"."b"[0]') FROM T
          select col:a.b[0] from t                   | SELECT json_extract(COL, '$."a"."b"[0]') FROM T
          select col:"Key Name"::varchar from t      | SELECT json_extract_string(COL, '$."Key Name"') FROM T
          select t.col:x::int from t                 | SELECT CAST(json_extract_string(T.COL, '$."x"') AS DECIMAL(38,0)) FROM T
          select parse_json(s):k::string from t      | SELECT json_extract_string(PARSE_JSON(S), '$."k"') FROM T
          select x::variant, y::timestamp_ntz from t | SELECT to_json(X), CASE WHEN typeof(Y) = 'JSON' THEN CAST(json_extract_string(CAST(Y AS VARCHAR), '$') AS TIMESTAMP) ELSE CAST(Y AS TIMESTAMP) END FROM T
          select cast(x as number(10,2)) from t      | SELECT CAST(X AS DECIMAL(10,2)) FROM T
          select dateadd(day, 3, d), datediff('mins', a, b), date_trunc(mon, d) from t | SELECT sf_dateadd_calendar('day', 3, D), date_diff('minute', A, B), sf_date_trunc('month', D) FROM T
          select x::timestamp_tz, cast(y as timestamp_tz) from t | SELECT to_timestamp_tz(X), to_timestamp_tz(Y) FROM T
          select v:at::timestamp_tz from t           | SELECT to_timestamp_tz(json_extract_string(V, '$."at"')) FROM T
          select 'it''s', 'a\\'b'                   | SELECT 'it''s', 'a''b'
          select current_user(), current_role       | SELECT 'ALICE', 'SYSADMIN'
          select current_timestamp(), current_date   | SELECT CURRENT_TIMESTAMP, CURRENT_DATE
          select sysdate() where x < current_time()  | SELECT CURRENT_TIMESTAMP WHERE X < CURRENT_TIME
          select 'CAFE'::binary                      | SELECT unhex('CAFE')
          select a from t where b = ? -- note        | SELECT A FROM T WHERE B = ?
          select column2 from values (1, 'a'), (2, 'b') where column1 > 1 | SELECT COLUMN2 FROM (VALUES (1, 'a'), (2, 'b')) AS "_VALUES"(COLUMN1, COLUMN2) WHERE COLUMN1 > 1
          select v.column1 from values (1) v         | SELECT V.COLUMN1 FROM (VALUES (1)) AS V(COLUMN1)
          select x from values (1) as t(x)           | SELECT X FROM (VALUES (1)) AS T(X)
          select object_construct('a', 1), array_construct(1, 2) | SELECT sf_object(coalesce(to_json(map_from_entries(list_sort(list_filter([{'k': CAST('a' AS VARCHAR), 'v': to_json(1)}], lambda e: e.v IS NOT NULL AND e.k IS NOT NULL)))), CAST('{}' AS JSON))), json_array(1, 2)
          select v::string, t.v::varchar(10), cast(v as text), try_cast(f(v) as string) from t | SELECT sf_cast_text(V), sf_cast_text_max(T.V, 10), sf_cast_text(V), sf_cast_text(F(V)) FROM T
          select v[0]::string, t.v['k'][1]::string, (a + b)::string from t | SELECT sf_cast_text(V[0]), sf_cast_text(T.V['k'][1]), sf_cast_text((A + B)) FROM T
          select typeof(v), get(v, 0), get_path(v, 'a[0].b') from t | SELECT sf_typeof(V), sf_get(V, 0), json_extract(CAST(V AS JSON), '$."a"[0]."b"') FROM T
          select array_agg(distinct x) within group (order by x) from t | SELECT sf_array(coalesce(to_json(list(DISTINCT X ORDER BY X) FILTER (WHERE (X) IS NOT NULL)), CAST('[]' AS JSON))) FROM T
          select * from (values (1)) v               | SELECT * FROM (SELECT * FROM (VALUES (1)) AS "_VALUES"(COLUMN1)) V
          select * from db.information_schema.load_history | SELECT * FROM sf_load_history('DB')
          select try_cast(s as timestamp), cast(s as char(2)) from t | SELECT try_to_timestamp_ntz(S), sf_cast_text_max(S, 2) FROM T
          insert into changes (a, b) select at, before from t | INSERT INTO CHANGES (A, B) SELECT AT, BEFORE FROM T
          """)
  void translatesSnowflakeSyntaxToDuckDb(String snowflake, String duckDb) {
    assertThat(ExpressionTranslator.translate(snowflake, SESSION)).isEqualTo(duckDb);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      textBlock =
          """
          TO_TIMESTAMP_NTZ(RECORD_METADATA:CreateTime::VARCHAR) | TO_TIMESTAMP_NTZ(json_extract_string(RECORD_METADATA, '$."CreateTime"'))
          v:a::number::string                                   | sf_cast_text(CAST(json_extract_string(V, '$."a"') AS DECIMAL(38,0)))
          """)
  void translatesSeedExpressions(String snowflake, String duckDb) {
    assertThat(ExpressionTranslator.translate("select " + snowflake, SESSION))
        .isEqualTo("SELECT " + duckDb);
  }
}
