package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.DataKeySpec;
import java.util.List;
import java.util.Map;

/**
 * Request rules shared by GenerateDataKey and GenerateDataKeyWithoutPlaintext (AWS KMS API
 * Reference): KeyId required; exactly one of KeySpec (AES_128, AES_256) and NumberOfBytes
 * (1–1024).
 */
final class DataKeys {
  private DataKeys() {}

  /** Validates the members and returns the data key length in bytes. */
  static int validate(
      String keyId,
      String keySpec,
      Integer numberOfBytes,
      Map<String, String> encryptionContext,
      List<String> grantTokens) {
    new Validator()
        .required("keyId", keyId)
        .length("keyId", keyId, 1, 2048)
        .oneOf("keySpec", keySpec, AwsEnum.wireNames(DataKeySpec.class))
        .range("numberOfBytes", numberOfBytes, 1, 1024)
        .encryptionContext("encryptionContext", encryptionContext)
        .grantTokens(grantTokens)
        .check();
    if ((keySpec == null) == (numberOfBytes == null)) {
      throw KmsException.validation("Please specify either number of bytes or key spec.");
    }
    if (numberOfBytes != null) {
      return numberOfBytes;
    }
    return AwsEnum.fromWire(DataKeySpec.class, keySpec) == DataKeySpec.AES_128 ? 16 : 32;
  }
}
