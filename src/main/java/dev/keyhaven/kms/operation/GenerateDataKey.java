package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.port.KeyMaterialCrypto;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * AWS KMS GenerateDataKey: a fresh data key from the approved DRBG, returned in plaintext and
 * encrypted under the KMS key exactly as Encrypt would (envelope encryption).
 */
@Action(KmsAction.GENERATE_DATA_KEY)
@ApplicationScoped
public class GenerateDataKey
    implements KmsOperation<GenerateDataKey.Request, GenerateDataKey.Response> {

  public record Request(
      String keyId,
      Map<String, String> encryptionContext,
      Integer numberOfBytes,
      String keySpec,
      List<String> grantTokens,
      Boolean dryRun) {}

  public record Response(byte[] ciphertextBlob, byte[] plaintext, String keyId) {}

  private final Envelope envelope;
  private final KeyMaterialCrypto crypto;
  private final Transactions transactions;

  GenerateDataKey(Envelope envelope, KeyMaterialCrypto crypto, Transactions transactions) {
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
                  KmsAction.GENERATE_DATA_KEY,
                  request.keyId(),
                  dataKey,
                  EncryptionContext.of(request.encryptionContext()))
              .map(
                  sealed ->
                      new Response(sealed.ciphertextBlob(), dataKey, sealed.key().arn().toString()));
        }));
  }
}
