package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.crypto.EncryptionContext;
import dev.keyhaven.kms.domain.key.EncryptionAlgorithm;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
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
      @Member.Required @Member.Blob(min = 1, max = 6144) byte[] ciphertextBlob,
      @Member.KeyId KeyReference keyId,
      @Member.Context Map<String, String> encryptionContext,
      @Member.GrantTokens List<String> grantTokens,
      @Member.OneOf(EncryptionAlgorithm.class) String encryptionAlgorithm,
      Boolean dryRun) {}

  public record Response(String keyId, byte[] plaintext, String encryptionAlgorithm) {}

  private final Envelope envelope;

  Decrypt(Envelope envelope) {
    this.envelope = envelope;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return envelope
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
                    opened.algorithm().wireName()));
  }
}
