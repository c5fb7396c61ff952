package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.port.KeyMaterialCrypto;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * AWS KMS GenerateDataKeyWithoutPlaintext: as GenerateDataKey, but only the encrypted data key
 * leaves the service; the plaintext copy is wiped.
 */
@Action(KmsAction.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT)
@ApplicationScoped
public class GenerateDataKeyWithoutPlaintext
    implements KmsOperation<
        GenerateDataKeyWithoutPlaintext.Request, GenerateDataKeyWithoutPlaintext.Response> {

  public record Request(
      String keyId,
      Map<String, String> encryptionContext,
      String keySpec,
      Integer numberOfBytes,
      List<String> grantTokens,
      Boolean dryRun) {}

  public record Response(byte[] ciphertextBlob, String keyId) {}

  private final Envelope envelope;
  private final KeyMaterialCrypto crypto;
  private final Transactions transactions;

  GenerateDataKeyWithoutPlaintext(
      Envelope envelope, KeyMaterialCrypto crypto, Transactions transactions) {
    this.envelope = envelope;
    this.crypto = crypto;
    this.transactions = transactions;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    int length =
        DataKeys.validate(
            request.keyId(),
            request.keySpec(),
            request.numberOfBytes(),
            request.encryptionContext(),
            request.grantTokens());
    return DryRun.unlessDryRun(
        request.dryRun(),
        transactions.inSession(
        () -> {
          byte[] dataKey = crypto.randomBytes(length);
          return envelope
              .seal(
                  context,
                  KmsAction.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
                  request.keyId(),
                  dataKey,
                  EncryptionContext.of(request.encryptionContext()))
              .map(sealed -> new Response(sealed.ciphertextBlob(), sealed.key().arn().toString()))
              .eventually(() -> Arrays.fill(dataKey, (byte) 0));
        }));
  }
}
