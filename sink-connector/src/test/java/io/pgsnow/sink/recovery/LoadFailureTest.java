package io.pgsnow.sink.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadFailureTest {

  private static LoadFailure failed(String error) {
    return LoadFailure.of(new LoadStatus("p", LoadStatus.Status.LOAD_FAILED, 0, 0, error));
  }

  @Test
  void theServicesFaultsAreTransient() {
    assertThat(failed("Internal error: Processing aborted due to error 300002:224117487"))
        .isEqualTo(LoadFailure.TRANSIENT);
    assertThat(
            failed(
                "Remote file 'gcs://bucket/stage/C/T/0/0_9_0000abcd.json.gz' was not found. There"
                    + " are several potential causes. The file might not exist."))
        .isEqualTo(LoadFailure.TRANSIENT);
    assertThat(failed("Failed to access remote file: access denied. Please check your credentials"))
        .isEqualTo(LoadFailure.TRANSIENT);
    assertThat(failed("Internal error: index 3 out of range")).isEqualTo(LoadFailure.TRANSIENT);
    assertThat(failed(null)).isEqualTo(LoadFailure.TRANSIENT);
    assertThat(failed("something new")).isEqualTo(LoadFailure.TRANSIENT);
  }

  @Test
  void theDatasFaultsAreNotRetried() {
    assertThat(failed("Error parsing JSON: incomplete object value, pos 17"))
        .isEqualTo(LoadFailure.DATA);
    assertThat(failed("Numeric value 'abc' is not recognized")).isEqualTo(LoadFailure.DATA);
    assertThat(failed("Timestamp 'soon' is not recognized")).isEqualTo(LoadFailure.DATA);
    assertThat(failed("String 'xxxx' is too long and would be truncated"))
        .isEqualTo(LoadFailure.DATA);
    assertThat(
            failed(
                "Number of columns in file (3) does not match that of the corresponding table"
                    + " (2)"))
        .isEqualTo(LoadFailure.DATA);
    assertThat(failed("Max LOB size (16777216) exceeded, actual size of parsed column is 17000000"))
        .isEqualTo(LoadFailure.DATA);
    assertThat(failed("NULL result in a non-nullable column")).isEqualTo(LoadFailure.DATA);
    assertThat(
            LoadFailure.of(
                new LoadStatus("p", LoadStatus.Status.PARTIALLY_LOADED, 3, 2, "Internal error")))
        .isEqualTo(LoadFailure.DATA);
  }
}
