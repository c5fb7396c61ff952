package dev.keyhaven.kms.domain.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;

/**
 * Fuzz target: the ciphertext parser (docs/reliability.md, section 7). Contract: any bytes either
 * parse into a blob that writes back to exactly those bytes, with a version of at least 1, or fail
 * with InvalidCiphertextException and no message (docs/ciphertext-format.md, Decryption step 1) —
 * never another exception. Without JAZZER_FUZZ it replays the corpus in
 * src/test/resources/.../CiphertextBlobFuzzTestInputs.
 */
class CiphertextBlobFuzzTest {

  @FuzzTest(maxDuration = "25s")
  void parse_anyBytes_roundTripsOrInvalidCiphertext(byte[] input) {
    CiphertextBlob blob;
    try {
      blob = CiphertextBlob.parse(input);
    } catch (KmsException e) {
      assertEquals(ErrorCode.INVALID_CIPHERTEXT, e.code());
      assertNull(e.getMessage());
      return;
    }
    assertTrue(blob.keyVersion() >= 1);
    assertArrayEquals(input, blob.toBytes());
  }
}
