package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AuditSigner;
import dev.keyhaven.kms.operation.port.AuditStore;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Keyhaven extension {@code KeyhavenAdmin.GetAuditPublicKey}: the public keys that verify audit
 * checkpoints (DER SubjectPublicKeyInfo, ECDSA P-384 with SHA-384), the one in use first — the role
 * of CloudTrail's ListPublicKeys. Public, so any authenticated caller may read it.
 */
@Action(KmsAction.GET_AUDIT_PUBLIC_KEY)
@ApplicationScoped
public class GetAuditPublicKey
    implements KmsOperation<GetAuditPublicKey.Request, GetAuditPublicKey.Response> {

  public record Request() {}

  public record SigningKey(String keyId, byte[] publicKey, Boolean inUse) {}

  public record Response(String signingAlgorithm, List<SigningKey> signingKeys) {}

  private final AuditStore store;
  private final AuditSigner signer;

  GetAuditPublicKey(AuditStore store, AuditSigner signer) {
    this.store = store;
    this.signer = signer;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    String current = signer.current().keyId();
    return store
        .signingKeys()
        .map(
            keys ->
                new Response(
                    "ECDSA_SHA_384",
                    keys.entrySet().stream()
                        .map(
                            e ->
                                new SigningKey(
                                    e.getKey(), e.getValue(), e.getKey().equals(current)))
                        .sorted((a, b) -> Boolean.compare(b.inUse(), a.inUse()))
                        .toList()));
  }
}
