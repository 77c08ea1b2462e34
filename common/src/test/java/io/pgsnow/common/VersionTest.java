package io.pgsnow.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionTest {

  @Test
  void isTheVersionMavenBuilt() {
    assertThat(Version.get()).isNotBlank().isNotEqualTo("unknown").doesNotContain("${");
  }
}
