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
 * AWS KMS VerifyMac: recomputes the HMAC of the message and compares it with Mac in constant time.
 * AWS KMS API Reference, VerifyMac: a MAC that does not verify fails the operation with
 * KMSInvalidMacException (never {@code MacValid: false}). Rules and body: {@link MacRequests}.
 */
@Action(KmsAction.VERIFY_MAC)
@ApplicationScoped
public class VerifyMac implements KmsOperation<VerifyMac.Request, VerifyMac.Response> {

  public record Request(
      @Member.Required @Member.Blob(min = 1, max = 4096) byte[] message,
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Required @Member.OneOf(MacAlgorithm.class) String macAlgorithm,
      @Member.First @Member.Required @Member.Blob(min = 1, max = 6144) byte[] mac,
      @Member.GrantTokens List<String> grantTokens,
      Boolean dryRun) {}

  public record Response(String keyId, boolean macValid, String macAlgorithm) {}

  private final MacRequests requests;

  VerifyMac(MacRequests requests) {
    this.requests = requests;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return requests.verify(context, request);
  }
}
