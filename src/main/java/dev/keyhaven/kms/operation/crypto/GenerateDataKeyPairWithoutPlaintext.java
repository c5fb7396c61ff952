package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AWS KMS GenerateDataKeyPairWithoutPlaintext: as GenerateDataKeyPair, without the plaintext
 * private key — it is wiped once encrypted under the KMS key. Rules: {@link DataKeyPairs}.
 */
@Action(KmsAction.GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT)
@ApplicationScoped
public class GenerateDataKeyPairWithoutPlaintext
    implements KmsOperation<
        GenerateDataKeyPair.Request, GenerateDataKeyPairWithoutPlaintext.Response> {

  public record Response(
      byte[] privateKeyCiphertextBlob, byte[] publicKey, String keyId, String keyPairSpec) {}

  private final DataKeyPairs pairs;

  GenerateDataKeyPairWithoutPlaintext(DataKeyPairs pairs) {
    this.pairs = pairs;
  }

  @Override
  public Uni<Response> execute(RequestContext context, GenerateDataKeyPair.Request request) {
    return pairs
        .generate(context, KmsAction.GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT, request)
        .map(
            generated -> {
              generated.pair().privateKey().wipe();
              return new Response(
                  generated.privateKeyCiphertextBlob(),
                  generated.pair().publicKey(),
                  generated.key().arn().toString(),
                  generated.spec().wireName());
            });
  }
}
