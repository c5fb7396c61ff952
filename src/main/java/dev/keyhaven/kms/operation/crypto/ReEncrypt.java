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
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * AWS KMS ReEncrypt: decrypts with the key named in the ciphertext and encrypts under the
 * destination key (which may be the same key with a new encryption context), without the plaintext
 * leaving the service.
 */
@Action(KmsAction.RE_ENCRYPT)
@ApplicationScoped
public class ReEncrypt implements KmsOperation<ReEncrypt.Request, ReEncrypt.Response> {

  public record Request(
      @Member.Required @Member.Blob(min = 1, max = 6144) byte[] ciphertextBlob,
      @Member.KeyId KeyReference sourceKeyId,
      @Member.Required @Member.KeyId KeyReference destinationKeyId,
      @Member.Context Map<String, String> sourceEncryptionContext,
      @Member.Context Map<String, String> destinationEncryptionContext,
      @Member.OneOf(EncryptionAlgorithm.class) String sourceEncryptionAlgorithm,
      @Member.OneOf(EncryptionAlgorithm.class) String destinationEncryptionAlgorithm,
      @Member.GrantTokens List<String> grantTokens,
      Boolean dryRun) {}

  public record Response(
      byte[] ciphertextBlob,
      String sourceKeyId,
      String keyId,
      String sourceEncryptionAlgorithm,
      String destinationEncryptionAlgorithm) {}

  private final Envelope envelope;

  ReEncrypt(Envelope envelope) {
    this.envelope = envelope;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return envelope
        .decrypt(
            context,
            KmsAction.RE_ENCRYPT_FROM,
            request.ciphertextBlob(),
            request.sourceKeyId(),
            EncryptionContext.of(request.sourceEncryptionContext()),
            request.sourceEncryptionAlgorithm())
        .chain(
            opened ->
                envelope
                    .encrypt(
                        context,
                        KmsAction.RE_ENCRYPT_TO,
                        request.destinationKeyId(),
                        opened.plaintext(),
                        EncryptionContext.of(request.destinationEncryptionContext()),
                        request.destinationEncryptionAlgorithm())
                    .map(
                        encrypted ->
                            new Response(
                                encrypted.ciphertextBlob(),
                                opened.key().arn().toString(),
                                encrypted.key().arn().toString(),
                                opened.algorithm().wireName(),
                                encrypted.algorithm().wireName()))
                    .eventually(() -> Arrays.fill(opened.plaintext(), (byte) 0)));
  }
}
