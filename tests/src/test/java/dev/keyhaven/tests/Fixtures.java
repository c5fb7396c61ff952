package dev.keyhaven.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KmsException;

/** Small helpers shared by the suites: fresh keys and aliases, and AWS error assertions. */
final class Fixtures {
  private Fixtures() {}

  /** A new symmetric key of the caller's account. */
  static KeyMetadata newKey(KmsClient kms, String description) {
    return kms.createKey(b -> b.description(description)).keyMetadata();
  }

  /** An alias name no other test (or earlier run on the same data dir) uses. */
  static String uniqueAlias(String prefix) {
    return "alias/e2e/" + prefix + "-" + UUID.randomUUID();
  }

  static SdkBytes utf8(String text) {
    return SdkBytes.fromString(text, StandardCharsets.UTF_8);
  }

  /**
   * Asserts that the call fails with the AWS error {@code errorCode} (the wire {@code __type}),
   * whatever SDK class carries it, and returns the exception for further checks.
   */
  static KmsException assertKmsError(String errorCode, Executable call) {
    KmsException e = assertThrows(KmsException.class, call);
    assertEquals(
        errorCode,
        e.awsErrorDetails().errorCode(),
        () -> "error code; message: " + e.awsErrorDetails().errorMessage());
    return e;
  }

  /**
   * Asserts that the call fails with the modelled SDK exception {@code type} (which proves the SDK
   * recognised the wire error code) and returns it.
   */
  static <T extends KmsException> T assertKmsError(Class<T> type, Executable call) {
    Throwable thrown = assertThrows(Throwable.class, call);
    if (!type.isInstance(thrown)) {
      String detail =
          thrown instanceof KmsException kms && kms.awsErrorDetails() != null
              ? kms.awsErrorDetails().errorCode() + ": " + kms.awsErrorDetails().errorMessage()
              : thrown.toString();
      throw new AssertionError("expected " + type.getSimpleName() + " but got " + detail, thrown);
    }
    return type.cast(thrown);
  }

  /** A copy of {@code bytes} with the byte at {@code index} changed. */
  static byte[] flip(byte[] bytes, int index) {
    byte[] copy = bytes.clone();
    copy[index] ^= 0x01;
    return copy;
  }
}
