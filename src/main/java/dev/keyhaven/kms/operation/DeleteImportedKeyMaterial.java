package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.port.KeyMaterialCrypto;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * AWS KMS DeleteImportedKeyMaterial: deletes a key's imported material at once — every wrapped
 * version, and this instance's cached plaintext — and puts the key in PendingImport (a
 * PendingDeletion key stays PendingDeletion). Its ciphertexts and signatures cannot be used until
 * the same material is imported again. Key id or key ARN; Origin EXTERNAL keys only
 * (UnsupportedOperationException), every state; on a PendingImport key it has no effect. The
 * optional KeyMaterialId (2025) must name the key's material (NotFoundException otherwise).
 */
@ApplicationScoped
public class DeleteImportedKeyMaterial
    implements KmsOperation<DeleteImportedKeyMaterial.Request, DeleteImportedKeyMaterial.Response> {

  public record Request(String keyId, String keyMaterialId) {}

  public record Response(String keyId, String keyMaterialId) {}

  private final KeyResolver resolver;
  private final KeyRepository keys;
  private final KeyMaterialCrypto crypto;

  DeleteImportedKeyMaterial(KeyResolver resolver, KeyRepository keys, KeyMaterialCrypto crypto) {
    this.resolver = resolver;
    this.keys = keys;
    this.crypto = crypto;
  }

  @Override
  public KmsAction action() {
    return KmsAction.DELETE_IMPORTED_KEY_MATERIAL;
  }

  @Override
  public Class<Request> requestType() {
    return Request.class;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    new Validator()
        .required("keyId", request.keyId())
        .length("keyId", request.keyId(), 1, 2048)
        .length("keyMaterialId", request.keyMaterialId(), 64, 64)
        .check();
    return resolver
        .resolveForUpdate(context, action(), request.keyId(), Conditions.none())
        .map(key -> key.requireStateFor(action()))
        .chain(
            key -> {
              if (request.keyMaterialId() != null
                  && !request.keyMaterialId().equals(key.currentKeyMaterialId())) {
                throw KmsException.notFound(
                    "Key material " + request.keyMaterialId() + " does not exist for " + key.arn());
              }
              if (!key.hasMaterial()) {
                return Uni.createFrom().item(key);
              }
              return keys.deleteImportedMaterial(key.deleteImportedMaterial())
                  .invoke(() -> crypto.forget(key.keyId()));
            })
        .map(key -> new Response(key.arn().toString(), key.currentKeyMaterialId()));
  }
}
