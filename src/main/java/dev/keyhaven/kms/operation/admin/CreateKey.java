package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeyAlgorithms;
import dev.keyhaven.kms.domain.key.KeyArn;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KeyState;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.Origin;
import dev.keyhaven.kms.domain.key.Rotation;
import dev.keyhaven.kms.domain.policy.DefaultKeyPolicy;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Authorization;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.KeyMetadata;
import dev.keyhaven.kms.operation.KeyPolicies;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.Tags;
import dev.keyhaven.kms.operation.Validator;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * AWS KMS CreateKey: a key of any served spec (symmetric, RSA, ECC, HMAC; {@link KeySpec}) with
 * material KMS generates — a 256-bit symmetric key, an HMAC key of the spec's length, or a key pair
 * whose private key is stored only wrapped — or, with Origin EXTERNAL, without material, in state
 * PendingImport until ImportKeyMaterial. KeyUsage is required for every spec but SYMMETRIC_DEFAULT
 * and must be one AWS allows for the spec ({@link KeyAlgorithms#usages}). The key policy is stored
 * as sent, or the default policy when none is sent.
 */
@Action(KmsAction.CREATE_KEY)
@ApplicationScoped
public class CreateKey implements KmsOperation<CreateKey.Request, CreateKey.Response> {

  public record Request(
      String policy,
      String description,
      String keyUsage,
      String customerMasterKeySpec,
      String keySpec,
      String origin,
      String customKeyStoreId,
      Boolean bypassPolicyLockoutSafetyCheck,
      List<Tags.Tag> tags,
      Boolean multiRegion,
      String xksKeyId) {}

  public record Response(KeyMetadata keyMetadata) {}

  private final KeyRepository keys;
  private final KeyMaterials materials;
  private final Authorization authorization;
  private final KeyPolicies policies;

  CreateKey(
      KeyRepository keys,
      KeyMaterials materials,
      Authorization authorization,
      KeyPolicies policies) {
    this.keys = keys;
    this.materials = materials;
    this.authorization = authorization;
    this.policies = policies;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    new Validator()
        .length("policy", request.policy(), 1, 131072)
        .length("description", request.description(), 0, 8192)
        .oneOf("keyUsage", request.keyUsage(), AwsEnum.wireNames(KeyUsage.class))
        .oneOf("keySpec", request.keySpec(), AwsEnum.wireNames(KeySpec.class))
        .oneOf(
            "customerMasterKeySpec",
            request.customerMasterKeySpec(),
            AwsEnum.wireNames(KeySpec.class))
        .oneOf("origin", request.origin(), AwsEnum.wireNames(Origin.class))
        .length("customKeyStoreId", request.customKeyStoreId(), 1, 64)
        .length("xksKeyId", request.xksKeyId(), 1, 128)
        .check();
    if (request.keySpec() != null && request.customerMasterKeySpec() != null) {
      throw KmsException.validation(
          "You cannot specify KeySpec and CustomerMasterKeySpec in the same request."
              + " CustomerMasterKeySpec is deprecated.");
    }
    KeySpec spec = specOf(request);
    KeyUsage usage = usageOf(request, spec);
    Origin origin = originOf(request);
    Tags.validate(request.tags());
    if (request.tags() != null && request.tags().size() > Tags.MAX_TAGS_PER_KEY) {
      throw Tags.tooMany();
    }

    UUID keyId = UUID.randomUUID();
    String materialId = materials.newKeyMaterialId();
    KmsKey key =
        new KmsKey(
            new KeyArn(context.partition(), context.region(), context.accountId(), keyId),
            spec,
            usage,
            origin,
            // AWS KMS API Reference, CreateKey Origin: EXTERNAL creates a key "with no key
            // material", in state PendingImport until ImportKeyMaterial.
            origin == Origin.EXTERNAL ? KeyState.PENDING_IMPORT : KeyState.ENABLED,
            request.description() == null ? "" : request.description(),
            context.receivedAt(),
            null,
            null,
            1,
            materialId,
            Rotation.NONE,
            request.policy() == null
                ? DefaultKeyPolicy.forAccount(context.partition(), context.accountId())
                : request.policy(),
            tagMap(request.tags()),
            null,
            0);
    Conditions conditions =
        Tags.requestConditions(request.tags())
            .with("kms:KeySpec", spec.wireName())
            .with("kms:KeyUsage", usage.wireName())
            .with("kms:KeyOrigin", origin.wireName())
            .with("kms:MultiRegion", "false")
            .with("kms:BypassPolicyLockoutSafetyCheck", Boolean.toString(bypass(request)));
    return authorization
        .require(context, KmsAction.CREATE_KEY, null, conditions)
        .chain(
            () ->
                request.policy() == null
                    ? Uni.createFrom().voidItem()
                    : policies.validate(
                        context, key.arn().toString(), request.policy(), bypass(request)))
        // Material only once the request is allowed and valid.
        .chain(
            () ->
                origin == Origin.EXTERNAL
                    ? keys.insert(key, null)
                    : materials
                        .generate(keyId, spec, 1, materialId)
                        .chain(material -> keys.insert(key, material)))
        .invoke(() -> context.touchedKeys().add(key))
        .map(ignored -> new Response(KeyMetadata.of(key)));
  }

  private static boolean bypass(Request request) {
    return Boolean.TRUE.equals(request.bypassPolicyLockoutSafetyCheck());
  }

  private static KeySpec specOf(Request request) {
    String named = request.keySpec() != null ? request.keySpec() : request.customerMasterKeySpec();
    return named == null ? KeySpec.SYMMETRIC_DEFAULT : AwsEnum.fromWire(KeySpec.class, named);
  }

  /**
   * AWS KMS API Reference, CreateKey KeyUsage: "The default value is ENCRYPT_DECRYPT", but only a
   * symmetric encryption key may leave it out (recorded: "You must specify a KeyUsage value for all
   * KMS keys except for symmetric encryption keys."); the usage must be one the spec allows (e.g.
   * RSA: ENCRYPT_DECRYPT or SIGN_VERIFY; ECC_SECG_P256K1: SIGN_VERIFY only).
   */
  private static KeyUsage usageOf(Request request, KeySpec spec) {
    if (spec.family() == KeySpec.Family.NOT_SUPPORTED) {
      throw KmsException.unsupported(
          "KeySpec " + spec.wireName() + " is not supported by this Keyhaven version.");
    }
    if (request.keyUsage() == null) {
      if (spec != KeySpec.SYMMETRIC_DEFAULT) {
        throw KmsException.validation(
            "You must specify a KeyUsage value for all KMS keys except for symmetric encryption"
                + " keys.");
      }
      return KeyUsage.ENCRYPT_DECRYPT;
    }
    KeyUsage usage = AwsEnum.fromWire(KeyUsage.class, request.keyUsage());
    if (!KeyAlgorithms.usages(spec).contains(usage)) {
      throw KmsException.validation(
          "KeyUsage " + usage.wireName() + " is not compatible with KeySpec " + spec.wireName());
    }
    return usage;
  }

  /**
   * AWS_KMS (the default) or EXTERNAL (imported material, docs/import.md); the custom key store
   * origins AWS_CLOUDHSM and EXTERNAL_KEY_STORE, custom key stores and multi-Region keys are not
   * served.
   */
  private static Origin originOf(Request request) {
    Origin origin =
        request.origin() == null
            ? Origin.AWS_KMS
            : AwsEnum.fromWire(Origin.class, request.origin());
    if (origin != Origin.AWS_KMS && origin != Origin.EXTERNAL) {
      throw KmsException.unsupported(
          "Origin " + request.origin() + " is not supported by this Keyhaven version.");
    }
    if (request.customKeyStoreId() != null || request.xksKeyId() != null) {
      throw KmsException.unsupported("Custom key stores are not supported by Keyhaven.");
    }
    if (Boolean.TRUE.equals(request.multiRegion())) {
      throw KmsException.unsupported("Multi-Region keys are not supported by Keyhaven.");
    }
    return origin;
  }

  private static Map<String, String> tagMap(List<Tags.Tag> tags) {
    Map<String, String> map = new LinkedHashMap<>();
    if (tags != null) {
      tags.forEach(t -> map.put(t.tagKey(), t.tagValue()));
    }
    return map;
  }
}
