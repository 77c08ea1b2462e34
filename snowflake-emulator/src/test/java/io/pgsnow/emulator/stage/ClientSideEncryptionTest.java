package io.pgsnow.emulator.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ClientSideEncryptionTest {

  @Test
  void decryptsDriverEncryptedContent() throws Exception {
    byte[] plain = "{\"meta\":{},\"content\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8);
    String[] encrypted = DriverStyleEncryption.encrypt(plain);
    assertThat(ClientSideEncryption.decrypt(Base64.getDecoder().decode(encrypted[0]), encrypted[1]))
        .isEqualTo(plain);
  }

  @Test
  void rejectsGarbage() {
    assertThatThrownBy(() -> ClientSideEncryption.decrypt(new byte[5], "{}"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
