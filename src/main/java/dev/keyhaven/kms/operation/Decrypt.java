package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.EncryptionAlgorithm;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * AWS KMS Decrypt. Symmetric ciphertexts: the key and material version come from the ciphertext;
 * KeyId is optional and, when given, must name that key (IncorrectKeyException). RSA ciphertexts:
 * KeyId and EncryptionAlgorithm (RSAES_OAEP_SHA_1/256) are required. See {@link Envelope}.
 */
@Action(KmsAction.DECRYPT)
@ApplicationScoped
public class Decrypt implements KmsOperation<Decrypt.Request, Decrypt.Response> {

  public record Request(
      byte[] ciphertextBlob,
      Map<String, String> encryptionContext,
      List<String> grantTokens,
      String keyId,
      String encryptionAlgorithm,
      Boolean dryRun) {}

  public record Response(String keyId, byte[] plaintext, String encryptionAlgorithm) {}

  private final Envelope envelope;
  private final Transactions transactions;

  Decrypt(Envelope envelope, Transactions transactions) {
    this.envelope = envelope;
    this.transactions = transactions;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    new Validator()
        .required("ciphertextBlob", request.ciphertextBlob())
        .blobLength("ciphertextBlob", request.ciphertextBlob(), 1, 6144)
        .length("keyId", request.keyId(), 1, 2048)
        .encryptionContext("encryptionContext", request.encryptionContext())
        .grantTokens(request.grantTokens())
        .oneOf(
            "encryptionAlgorithm",
            request.encryptionAlgorithm(),
            AwsEnum.wireNames(EncryptionAlgorithm.class))
        .check();
    return DryRun.unlessDryRun(
        request.dryRun(),
        transactions.inSession(
        () ->
            envelope
                .decrypt(
                    context,
                    KmsAction.DECRYPT,
                    request.ciphertextBlob(),
                    request.keyId(),
                    EncryptionContext.of(request.encryptionContext()),
                    request.encryptionAlgorithm())
                .map(
                    opened ->
                        new Response(
                            opened.key().arn().toString(),
                            opened.plaintext(),
                            opened.algorithm().wireName()))));
  }
}
