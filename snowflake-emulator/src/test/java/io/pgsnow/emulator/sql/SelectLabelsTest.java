package io.pgsnow.emulator.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SelectLabelsTest {

  private static java.util.List<String> labels(String sql) {
    return SelectLabels.of(SqlLexer.tokenize(sql));
  }

  @Test
  void expressionsAreLabelledWithTheirUpperCasedText() {
    assertThat(labels("select iff(v::int = v, 'a', 'b'), zeroifnull(c) from t"))
        .containsExactly("IFF(V::INT = V, 'A', 'B')", "ZEROIFNULL(C)");
  }

  @Test
  void aliasesAndColumnReferencesKeepTheEngineLabel() {
    assertThat(labels("select a, t.b, c as x, nvl(a, b) y, \"q\" from t"))
        .isEqualTo(Arrays.asList(null, null, null, null, null));
  }

  @Test
  void keywordsEndingAnExpressionAreNotAliases() {
    assertThat(labels("select case when a then 1 end, a is null, v:a.b from t"))
        .containsExactly("CASE WHEN A THEN 1 END", "A IS NULL", "V:A.B");
  }

  @Test
  void aStarOrANonQueryHasNoLabels() {
    assertThat(labels("select *, upper(a) from t")).isNull();
    assertThat(labels("select t.*, upper(a) from t")).isNull();
    assertThat(labels("insert into t select 1")).isNull();
  }

  @Test
  void theListEndsAtFromAndQualifiersAreSkipped() {
    assertThat(labels("with w as (select 1 as a) select distinct upper('x') from w"))
        .containsExactly("UPPER('X')");
    assertThat(labels("select top 5 1 + 1 from t")).containsExactly("1 + 1");
  }
}
