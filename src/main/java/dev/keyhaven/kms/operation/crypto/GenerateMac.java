package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.MacAlgorithm;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * AWS KMS GenerateMac: the HMAC (FIPS 198-1) of a message under an HMAC KMS key, with the key
 * spec's one MacAlgorithm. The HMAC key never leaves the service. Rules and body: {@link
 * MacRequests}.
 */
@Action(KmsAction.GENERATE_MAC)
@ApplicationScoped
public class GenerateMac implements KmsOperation<GenerateMac.Request, GenerateMac.Response> {

  public record Request(
      @Member.Required @Member.Blob(min = 1, max = 4096) byte[] message,
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Required @Member.OneOf(MacAlgorithm.class) String macAlgorithm,
      @Member.GrantTokens List<String> grantTokens,
      Boolean dryRun) {}

  public record Response(byte[] mac, String macAlgorithm, String keyId) {}

  private final MacRequests requests;

  GenerateMac(MacRequests requests) {
    this.requests = requests;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return requests.generate(context, request);
  }
}
