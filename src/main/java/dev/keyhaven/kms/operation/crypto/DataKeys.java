package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.DataKeySpec;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.RandomSource;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;

/**
 * What GenerateDataKey and GenerateDataKeyWithoutPlaintext share (AWS KMS API Reference,
 * GenerateDataKey; members: {@link GenerateDataKey.Request}): exactly one of KeySpec (AES_128,
 * AES_256) and NumberOfBytes (1–1024); a fresh data key from the approved DRBG, encrypted under the
 * KMS key exactly as Encrypt would (envelope encryption).
 */
@ApplicationScoped
public class DataKeys {
  /** A data key in plaintext and as encrypted under the KMS key {@code keyArn}. */
  record Generated(byte[] plaintext, byte[] ciphertextBlob, String keyArn) {}

  private final Envelope envelope;
  private final RandomSource crypto;

  DataKeys(Envelope envelope, RandomSource crypto) {
    this.envelope = envelope;
    this.crypto = crypto;
  }

  Uni<Generated> generate(
      RequestContext context, KmsAction action, GenerateDataKey.Request request) {
    if ((request.keySpec() == null) == (request.numberOfBytes() == null)) {
      throw KmsException.validation("Please specify either number of bytes or key spec.");
    }
    int length =
        request.numberOfBytes() != null
            ? request.numberOfBytes()
            : AwsEnum.fromWire(DataKeySpec.class, request.keySpec()) == DataKeySpec.AES_128
                ? 16
                : 32;
    byte[] dataKey = crypto.randomBytes(length);
    return envelope
        .seal(
            context,
            action,
            request.keyId(),
            dataKey,
            EncryptionContext.of(request.encryptionContext()))
        .map(
            encrypted ->
                new Generated(
                    dataKey, encrypted.ciphertextBlob(), encrypted.key().arn().toString()))
        .onFailure()
        .invoke(() -> Arrays.fill(dataKey, (byte) 0));
  }
}
