package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.crypto.WrappedKeyMaterial;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.ExpirationModel;
import dev.keyhaven.kms.domain.key.ImportedMaterials;
import dev.keyhaven.kms.domain.key.KeyMaterialVersion;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.Validator;
import dev.keyhaven.kms.operation.port.ImportCrypto;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * AWS KMS ImportKeyMaterial: unwraps EncryptedKeyMaterial with the wrapping key of the ImportToken,
 * checks the material against the key spec and stores it like every material version (wrapped under
 * the root key; a key pair's public key beside it). The key becomes Enabled.
 *
 * <p>AWS KMS API Reference, ImportKeyMaterial:
 *
 * <ul>
 *   <li>ExpirationModel defaults to KEY_MATERIAL_EXPIRES, which needs ValidTo (recorded: "A validTo
 *       date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES"), in the future and at
 *       most 365 days ahead; KEY_MATERIAL_DOES_NOT_EXPIRE takes no ValidTo. The maintenance job
 *       deletes expired material.
 *   <li>A token not issued for this key, or tampered with: InvalidImportTokenException; past its
 *       ParametersValidTo: ExpiredImportTokenException; material that does not unwrap:
 *       InvalidCiphertextException.
 *   <li>Material that is not a key of the spec — a symmetric key of other than 32 bytes, an HMAC
 *       key outside its length range, a private key of another algorithm, size or curve — and
 *       material other than what was imported before into this key: IncorrectKeyMaterialException.
 *       Re-importing the same material restores a key after DeleteImportedKeyMaterial or expiry
 *       (its old ciphertexts decrypt again) or changes its expiration.
 *   <li>ImportType NEW_KEY_MATERIAL (2025) stages new material of a symmetric key for
 *       RotateKeyOnDemand ({@link ImportedMaterials} has the rules); KeyMaterialId names the
 *       material a re-import must be. The response's KeyMaterialId is the imported material's.
 * </ul>
 *
 * Key id or key ARN; Origin EXTERNAL keys in every state but PendingDeletion; condition keys
 * kms:ExpirationModel and kms:ValidTo.
 */
@Action(KmsAction.IMPORT_KEY_MATERIAL)
@ApplicationScoped
public class ImportKeyMaterial
    implements KmsOperation<ImportKeyMaterial.Request, ImportKeyMaterial.Response> {
  static final Duration MAX_VALIDITY = Duration.ofDays(365);
  static final String NEW_KEY_MATERIAL = "NEW_KEY_MATERIAL";

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Required @Member.Blob(min = 1, max = 6144) byte[] importToken,
      @Member.Required @Member.Blob(min = 1, max = 6144) byte[] encryptedKeyMaterial,
      BigDecimal validTo,
      @Member.OneOf(ExpirationModel.class) String expirationModel,
      @Member.Values({NEW_KEY_MATERIAL, "EXISTING_KEY_MATERIAL"}) String importType,
      @Member.Length(min = 0, max = 256) String keyMaterialDescription,
      @Member.Length(min = 64, max = 64) String keyMaterialId) {}

  public record Response(String keyId, String keyMaterialId) {}

  private final KeyResolver resolver;
  private final KeyRepository keys;
  private final KeyMaterials materials;
  private final ImportCrypto imports;

  ImportKeyMaterial(
      KeyResolver resolver, KeyRepository keys, KeyMaterials materials, ImportCrypto imports) {
    this.resolver = resolver;
    this.keys = keys;
    this.materials = materials;
    this.imports = imports;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    boolean newMaterial = NEW_KEY_MATERIAL.equals(request.importType());
    if (newMaterial && request.keyMaterialId() != null) {
      // AWS KMS API Reference, ImportKeyMaterial KeyMaterialId: "You cannot specify a key material
      // ID with ImportType set to NEW_KEY_MATERIAL."
      throw KmsException.validation(
          "KeyMaterialId cannot be specified when ImportType is NEW_KEY_MATERIAL.");
    }
    ExpirationModel model =
        request.expirationModel() == null
            ? ExpirationModel.KEY_MATERIAL_EXPIRES
            : AwsEnum.fromWire(ExpirationModel.class, request.expirationModel());
    Instant validTo = validTo(context, model, Validator.timestamp("validTo", request.validTo()));
    Conditions conditions =
        Conditions.none()
            .with("kms:ExpirationModel", model.wireName())
            .with("kms:ValidTo", validTo == null ? null : Long.toString(validTo.getEpochSecond()));
    return resolver
        .resolveForUpdate(context, KmsAction.IMPORT_KEY_MATERIAL, request.keyId(), conditions)
        .map(key -> key.requireStateFor(KmsAction.IMPORT_KEY_MATERIAL))
        .chain(
            key ->
                keys.listVersions(key.keyId(), 0, false, Integer.MAX_VALUE)
                    .chain(
                        versions ->
                            importInto(
                                context, key, versions, newMaterial, request, model, validTo)));
  }

  /** ValidTo per the expiration model: required and within (now, now + 365 days], or absent. */
  private static Instant validTo(RequestContext context, ExpirationModel model, Instant validTo) {
    if (model == ExpirationModel.KEY_MATERIAL_DOES_NOT_EXPIRE) {
      if (validTo != null) {
        throw KmsException.validation(
            "A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE");
      }
      return null;
    }
    if (validTo == null) {
      throw KmsException.validation(
          "A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES");
    }
    if (!validTo.isAfter(context.receivedAt())
        || validTo.isAfter(context.receivedAt().plus(MAX_VALIDITY))) {
      throw KmsException.validation(
          "The validTo date must be in the future and at most 365 days from now.");
    }
    return validTo;
  }

  private Uni<Response> importInto(
      RequestContext context,
      KmsKey key,
      List<KeyMaterialVersion> versions,
      boolean newMaterial,
      Request request,
      ExpirationModel model,
      Instant validTo) {
    ImportCrypto.TokenContents token = imports.openToken(key.keyId(), request.importToken());
    if (token == null) {
      throw new KmsException(
          ErrorCode.INVALID_IMPORT_TOKEN, "The import token is not valid for " + key.arn() + ".");
    }
    SecretBytes material;
    try {
      if (context.receivedAt().isAfter(token.validTo())) {
        throw new KmsException(
            ErrorCode.EXPIRED_IMPORT_TOKEN,
            "The import token expired at "
                + token.validTo()
                + "; call GetParametersForImport again.");
      }
      material = imports.unwrapKeyMaterial(token, request.encryptedKeyMaterial());
    } finally {
      token.wrappingPrivateKey().wipe();
    }
    try {
      byte[] publicKey = materials.checkImported(key.keySpec(), key.keyUsage(), material);
      String fingerprint = materials.importFingerprint(key.keyId(), publicKey, material);
      ImportedMaterials.Target target =
          ImportedMaterials.target(
              key,
              versions,
              fingerprint,
              newMaterial,
              request.keyMaterialId(),
              materials::newKeyMaterialId);
      Response response = new Response(key.arn().toString(), target.keyMaterialId());
      if (target.held()) {
        // The same material again: only the expiration changes (on a key holding all of it).
        return key.hasMaterial()
            ? keys.update(key.withImportedMaterial(model, validTo)).replaceWith(response)
            : Uni.createFrom().item(response);
      }
      WrappedKeyMaterial wrapped =
          materials
              .wrap(key.keyId(), target.version(), target.keyMaterialId(), material)
              .withPublicKey(publicKey);
      if (target.pendingRotation()) {
        // Keyhaven keeps one expiration per key: the last import's applies to all its material.
        KmsKey staged = key.withImportedMaterial(model, validTo);
        return keys.putPendingMaterial(staged, wrapped, fingerprint).replaceWith(response);
      }
      KmsKey imported =
          key.importState() == null
              ? key.importMaterial(fingerprint, model, validTo)
              : target.completesKey() ? key.withImportedMaterial(model, validTo) : key;
      return keys.putImportedMaterial(imported, wrapped, fingerprint).replaceWith(response);
    } finally {
      material.wipe();
    }
  }
}
