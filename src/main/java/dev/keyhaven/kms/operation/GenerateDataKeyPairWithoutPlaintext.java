package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.KmsAction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * AWS KMS GenerateDataKeyPairWithoutPlaintext: as GenerateDataKeyPair, without the plaintext
 * private key — it is wiped once encrypted under the KMS key. Rules: {@link DataKeyPairs}.
 */
@Action(KmsAction.GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT)
@ApplicationScoped
public class GenerateDataKeyPairWithoutPlaintext
    implements KmsOperation<
        GenerateDataKeyPairWithoutPlaintext.Request, GenerateDataKeyPairWithoutPlaintext.Response> {

  public record Request(
      Map<String, String> encryptionContext,
      String keyId,
      String keyPairSpec,
      List<String> grantTokens,
      Boolean dryRun) {}

  public record Response(
      byte[] privateKeyCiphertextBlob, byte[] publicKey, String keyId, String keyPairSpec) {}

  private final DataKeyPairs pairs;

  GenerateDataKeyPairWithoutPlaintext(DataKeyPairs pairs) {
    this.pairs = pairs;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return pairs
        .generate(
            context,
            KmsAction.GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT,
            request.keyId(),
            request.keyPairSpec(),
            request.encryptionContext(),
            request.grantTokens(),
            request.dryRun())
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
