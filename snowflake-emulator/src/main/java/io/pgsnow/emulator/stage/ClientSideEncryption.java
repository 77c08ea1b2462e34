package io.pgsnow.emulator.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Undoes the drivers' client-side encryption of stage uploads. The emulator hands out a fixed
 * master key; the driver's sessionless upload path (used by the Kafka connector) encrypts anyway,
 * wrapping a random file key with the master key (AES/ECB) and encrypting the content with the file
 * key (AES/CBC), and sends both in the {@code encryptiondata} object metadata.
 */
public final class ClientSideEncryption {

  /** The master key every PUT/GET answer carries (the drivers insist on one). */
  public static final byte[] MASTER_KEY = new byte[16];

  private static final ObjectMapper JSON = new ObjectMapper();

  private ClientSideEncryption() {}

  /** Returns the plaintext of an object uploaded with {@code encryptionData} metadata. */
  public static byte[] decrypt(byte[] content, String encryptionData) {
    try {
      JsonNode meta = JSON.readTree(encryptionData);
      byte[] wrappedKey =
          Base64.getDecoder().decode(meta.path("WrappedContentKey").path("EncryptedKey").asText());
      byte[] iv = Base64.getDecoder().decode(meta.path("ContentEncryptionIV").asText());
      Cipher keyCipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
      keyCipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(MASTER_KEY, "AES"));
      byte[] fileKey = keyCipher.doFinal(wrappedKey);
      Cipher dataCipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      dataCipher.init(
          Cipher.DECRYPT_MODE, new SecretKeySpec(fileKey, "AES"), new IvParameterSpec(iv));
      return dataCipher.doFinal(content);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot decrypt staged object: " + e.getMessage(), e);
    }
  }
}
