package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;

/**
 * AWS KMS GenerateDataKeyWithoutPlaintext: as GenerateDataKey (same request), but only the
 * encrypted data key leaves the service; the plaintext copy is wiped. Rules: {@link DataKeys}.
 */
@Action(KmsAction.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT)
@ApplicationScoped
public class GenerateDataKeyWithoutPlaintext
    implements KmsOperation<GenerateDataKey.Request, GenerateDataKeyWithoutPlaintext.Response> {

  public record Response(byte[] ciphertextBlob, String keyId) {}

  private final DataKeys dataKeys;

  GenerateDataKeyWithoutPlaintext(DataKeys dataKeys) {
    this.dataKeys = dataKeys;
  }

  @Override
  public Uni<Response> execute(RequestContext context, GenerateDataKey.Request request) {
    return dataKeys
        .generate(context, KmsAction.GENERATE_DATA_KEY_WITHOUT_PLAINTEXT, request)
        .map(
            key -> {
              Arrays.fill(key.plaintext(), (byte) 0);
              return new Response(key.ciphertextBlob(), key.keyArn());
            });
  }
}
