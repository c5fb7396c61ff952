package dev.keyhaven.kms.domain.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.util.Arrays;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CiphertextBlobTest {
  private static final UUID KEY = UUID.fromString("1234abcd-12ab-34cd-56ef-1234567890ab");

  private static CiphertextBlob sample() {
    byte[] nonce = new byte[32];
    Arrays.fill(nonce, (byte) 7);
    byte[] iv = new byte[12];
    Arrays.fill(iv, (byte) 9);
    return new CiphertextBlob(KEY, 3, nonce, iv, new byte[20]);
  }

  @Test
  void toBytes_parse_roundTrips() {
    CiphertextBlob blob = sample();
    CiphertextBlob parsed = CiphertextBlob.parse(blob.toBytes());
    assertEquals(KEY, parsed.keyId());
    assertEquals(3, parsed.keyVersion());
    assertArrayEquals(blob.nonce(), parsed.nonce());
    assertArrayEquals(blob.iv(), parsed.iv());
    assertArrayEquals(blob.sealed(), parsed.sealed());
  }

  @Test
  void toBytes_layout_isFormatKeyVersionNonceIvBody() {
    byte[] bytes = sample().toBytes();
    assertEquals(CiphertextBlob.FORMAT_V1, bytes[0]);
    assertEquals(0x12, bytes[1]);
    assertEquals(3, bytes[20]);
    assertEquals(7, bytes[21]);
    assertEquals(9, bytes[53]);
    assertEquals(1 + 16 + 4 + 32 + 12 + 20, bytes.length);
  }

  @Test
  void parse_malformed_throwsInvalidCiphertextWithoutDetail() {
    byte[] good = sample().toBytes();
    byte[] wrongFormat = good.clone();
    wrongFormat[0] = 2;
    byte[] versionZero = good.clone();
    versionZero[17] = versionZero[18] = versionZero[19] = versionZero[20] = 0;
    for (byte[] bad :
        new byte[][] {
          new byte[0], Arrays.copyOf(good, CiphertextBlob.OVERHEAD - 1), wrongFormat, versionZero
        }) {
      KmsException e = assertThrows(KmsException.class, () -> CiphertextBlob.parse(bad));
      assertEquals(ErrorCode.INVALID_CIPHERTEXT, e.code());
      assertEquals(null, e.getMessage());
    }
  }
}
