package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.MessageType;
import dev.keyhaven.kms.domain.key.SigningAlgorithm;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * AWS KMS Sign: a signature by the private key of an asymmetric SIGN_VERIFY key — RSASSA-PSS or
 * RSASSA-PKCS1-v1_5 with SHA-256/384/512 (PKCS#1 signature bytes), ECDSA with the curve's hash
 * (DER-encoded, RFC 3279), or Ed25519 / Ed25519ph (the 64-byte R || S of RFC 8032). The private key
 * is unwrapped only for the signature and never leaves the service. Rules and body shared with
 * Verify: {@link SigningRequests}.
 */
@Action(KmsAction.SIGN)
@ApplicationScoped
public class Sign implements KmsOperation<Sign.Request, Sign.Response> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Required @Member.Blob(min = 1, max = 4096) byte[] message,
      @Member.OneOf(MessageType.class) String messageType,
      @Member.Required @Member.OneOf(SigningAlgorithm.class) String signingAlgorithm,
      @Member.GrantTokens List<String> grantTokens,
      Boolean dryRun) {}

  public record Response(String keyId, byte[] signature, String signingAlgorithm) {}

  private final SigningRequests requests;

  Sign(SigningRequests requests) {
    this.requests = requests;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return requests.sign(context, request);
  }
}
