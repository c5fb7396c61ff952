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
 * AWS KMS Verify: checks a signature with the public key of an asymmetric SIGN_VERIFY key. AWS KMS
 * API Reference, Verify: "If the signature is verified, the value of the SignatureValid field in
 * the response is True. If the signature verification fails, the Verify operation fails with an
 * KMSInvalidSignatureException exception" — never {@code SignatureValid: false}. The public key is
 * read without unwrapping anything. Rules and body shared with Sign: {@link SigningRequests}.
 */
@Action(KmsAction.VERIFY)
@ApplicationScoped
public class Verify implements KmsOperation<Verify.Request, Verify.Response> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Required @Member.Blob(min = 1, max = 4096) byte[] message,
      @Member.OneOf(MessageType.class) String messageType,
      @Member.First @Member.Required @Member.Blob(min = 1, max = 6144) byte[] signature,
      @Member.Required @Member.OneOf(SigningAlgorithm.class) String signingAlgorithm,
      @Member.GrantTokens List<String> grantTokens,
      Boolean dryRun) {}

  public record Response(String keyId, boolean signatureValid, String signingAlgorithm) {}

  private final SigningRequests requests;

  Verify(SigningRequests requests) {
    this.requests = requests;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return requests.verify(context, request);
  }
}
