package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KeyMaterialVersion;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.KeyMaterialWrapping;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * AWS KMS DeleteImportedKeyMaterial: deletes one imported material of a key at once — its wrapped
 * bytes, and this instance's cached plaintext — and puts the key in PendingImport (a
 * PendingDeletion key stays PendingDeletion). The material stays associated with the key
 * (ListKeyRotations shows it PENDING_IMPORT, DescribeKey keeps CurrentKeyMaterialId): its
 * ciphertexts and signatures cannot be used, nor the key, until that same material is imported
 * again. KeyMaterialId (2025) names the material, the current one by default (NotFoundException for
 * one the key does not have); material pending rotation is deleted for good and leaves the key as
 * it is (AWS KMS API Reference, KeyMaterialState PENDING_ROTATION: "not permanently associated with
 * the KMS key"). Key id or key ARN; Origin EXTERNAL keys only (UnsupportedOperationException),
 * every state; material already deleted: no effect.
 */
@Action(KmsAction.DELETE_IMPORTED_KEY_MATERIAL)
@ApplicationScoped
public class DeleteImportedKeyMaterial
    implements KmsOperation<DeleteImportedKeyMaterial.Request, DeleteImportedKeyMaterial.Response> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Length(min = 64, max = 64) String keyMaterialId) {}

  public record Response(String keyId, String keyMaterialId) {}

  private final KeyResolver resolver;
  private final KeyRepository keys;
  private final KeyMaterialWrapping crypto;

  DeleteImportedKeyMaterial(KeyResolver resolver, KeyRepository keys, KeyMaterialWrapping crypto) {
    this.resolver = resolver;
    this.keys = keys;
    this.crypto = crypto;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return resolver
        .resolveForUpdate(
            context, KmsAction.DELETE_IMPORTED_KEY_MATERIAL, request.keyId(), Conditions.none())
        .map(key -> key.requireStateFor(KmsAction.DELETE_IMPORTED_KEY_MATERIAL))
        .chain(
            key ->
                keys.listVersions(key.keyId(), 0, false, Integer.MAX_VALUE)
                    .chain(versions -> delete(key, versions, request.keyMaterialId())));
  }

  private Uni<Response> delete(
      KmsKey key, List<KeyMaterialVersion> versions, String keyMaterialId) {
    String wanted = keyMaterialId != null ? keyMaterialId : key.currentKeyMaterialId();
    KeyMaterialVersion target =
        versions.stream().filter(v -> v.keyMaterialId().equals(wanted)).findFirst().orElse(null);
    if (target == null && !wanted.equals(key.currentKeyMaterialId())) {
      throw KmsException.notFound(
          "Key material " + keyMaterialId + " does not exist for " + key.arn());
    }
    Response response = new Response(key.arn().toString(), wanted);
    if (target == null || !target.imported()) {
      // Nothing imported to delete (a key that never had material, or this material is gone).
      return Uni.createFrom().item(response);
    }
    if (target.version() > key.currentVersion()) {
      return keys.deletePendingMaterial(key).replaceWith(response);
    }
    return keys.deleteImportedMaterial(key.deleteImportedMaterial(), target.version())
        .invoke(() -> crypto.forget(key.keyId()))
        .replaceWith(response);
  }
}
