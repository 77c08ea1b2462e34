package io.pgsnow.source.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgsnow.source.decoding.TupleData;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CopyTextTest {
  private static TupleData parse(String line, int columns) {
    return CopyText.parse(line.getBytes(StandardCharsets.UTF_8), columns);
  }

  @Test
  void splitsColumnsAndReadsNulls() {
    TupleData row = parse("1\t\\N\t\tabc\n", 4);
    assertThat(row.text(0)).isEqualTo("1");
    assertThat(row.isNull(1)).isTrue();
    assertThat(row.isNull(2)).isFalse();
    assertThat(row.text(2)).isEmpty();
    assertThat(row.text(3)).isEqualTo("abc");
  }

  @Test
  void undoesCopysEscapesToTheOutputFunctionsText() {
    TupleData row = parse("a\\tb\\nc\\\\d\\re\\b\\f\\v\\101\\x42 é\n", 1);
    assertThat(row.text(0)).isEqualTo("a\tb\nc\\d\re\b\f\u000bAB é");
  }

  @Test
  void aBackslashNInsideAValueIsNotNull() {
    TupleData row = parse("\\\\N", 1);
    assertThat(row.isNull(0)).isFalse();
    assertThat(row.text(0)).isEqualTo("\\N");
  }

  @Test
  void refusesRowsOfAnotherWidth() {
    assertThatThrownBy(() -> parse("1\t2\n", 3)).hasMessageContaining("3 were selected");
    assertThatThrownBy(() -> parse("1\t2\t3\n", 2)).hasMessageContaining("more than the 2");
  }
}
