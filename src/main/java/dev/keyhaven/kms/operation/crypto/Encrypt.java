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
 * AWS KMS Encrypt: up to 4096 bytes under a symmetric key's current material version, bound to the
 * encryption context; or, with an RSA ENCRYPT_DECRYPT key and EncryptionAlgorithm
 * RSAES_OAEP_SHA_1/256, RSAES-OAEP under its public key (AWS's size limits, no encryption context).
 * See {@link Envelope}.
 */
@Action(KmsAction.ENCRYPT)
@ApplicationScoped
public class Encrypt implements KmsOperation<Encrypt.Request, Encrypt.Response> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      // AWS KMS API Reference, Encrypt Plaintext: 1 to 4096 bytes.
      @Member.Required @Member.Blob(min = 1, max = 4096) byte[] plaintext,
      @Member.Context Map<String, String> encryptionContext,
      @Member.GrantTokens List<String> grantTokens,
      @Member.OneOf(EncryptionAlgorithm.class) String encryptionAlgorithm,
      Boolean dryRun) {}

  public record Response(byte[] ciphertextBlob, String keyId, String encryptionAlgorithm) {}

  private final Envelope envelope;

  Encrypt(Envelope envelope) {
    this.envelope = envelope;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return envelope
        .encrypt(
            context,
            KmsAction.ENCRYPT,
            request.keyId(),
            request.plaintext(),
            EncryptionContext.of(request.encryptionContext()),
            request.encryptionAlgorithm())
        .map(
            encrypted ->
                new Response(
                    encrypted.ciphertextBlob(),
                    encrypted.key().arn().toString(),
                    encrypted.algorithm().wireName()));
  }
}
