package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.key.DataKeySpec;
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
 * AWS KMS GenerateDataKey: a fresh data key from the approved DRBG, returned in plaintext and
 * encrypted under the KMS key exactly as Encrypt would (envelope encryption). Rules: {@link
 * DataKeys}.
 */
@Action(KmsAction.GENERATE_DATA_KEY)
@ApplicationScoped
public class GenerateDataKey
    implements KmsOperation<GenerateDataKey.Request, GenerateDataKey.Response> {

  /** Also GenerateDataKeyWithoutPlaintext's request. */
  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.OneOf(DataKeySpec.class) String keySpec,
      @Member.Range(min = 1, max = 1024) Integer numberOfBytes,
      @Member.Context Map<String, String> encryptionContext,
      @Member.GrantTokens List<String> grantTokens,
      Boolean dryRun) {}

  public record Response(byte[] ciphertextBlob, byte[] plaintext, String keyId) {}

  private final DataKeys dataKeys;

  GenerateDataKey(DataKeys dataKeys) {
    this.dataKeys = dataKeys;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return dataKeys
        .generate(context, KmsAction.GENERATE_DATA_KEY, request)
        .map(key -> new Response(key.ciphertextBlob(), key.plaintext(), key.keyArn()));
  }
}
