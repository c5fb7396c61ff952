package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.key.DataKeyPairSpec;
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
 * AWS KMS GenerateDataKeyPair: a fresh RSA or ECC key pair for use outside KMS — the private key in
 * plaintext (PKCS#8 DER) and encrypted under a symmetric KMS key (decrypt it later with Decrypt and
 * the same encryption context), and the public key (DER SubjectPublicKeyInfo). Rules: {@link
 * DataKeyPairs}.
 */
@Action(KmsAction.GENERATE_DATA_KEY_PAIR)
@ApplicationScoped
public class GenerateDataKeyPair
    implements KmsOperation<GenerateDataKeyPair.Request, GenerateDataKeyPair.Response> {

  /** Also GenerateDataKeyPairWithoutPlaintext's request. */
  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Required @Member.OneOf(DataKeyPairSpec.class) String keyPairSpec,
      @Member.Context Map<String, String> encryptionContext,
      @Member.GrantTokens List<String> grantTokens,
      Boolean dryRun) {}

  public record Response(
      byte[] privateKeyCiphertextBlob,
      byte[] privateKeyPlaintext,
      byte[] publicKey,
      String keyId,
      String keyPairSpec) {}

  private final DataKeyPairs pairs;

  GenerateDataKeyPair(DataKeyPairs pairs) {
    this.pairs = pairs;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return pairs
        .generate(context, KmsAction.GENERATE_DATA_KEY_PAIR, request)
        .map(
            generated ->
                new Response(
                    generated.privateKeyCiphertextBlob(),
                    generated.pair().privateKey().exposeForCrypto(),
                    generated.pair().publicKey(),
                    generated.key().arn().toString(),
                    generated.spec().wireName()));
  }
}
