package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeyAlgorithms;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.MacAlgorithm;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.MacCrypto;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.BiFunction;

/**
 * What GenerateMac and VerifyMac share, their bodies included (AWS KMS API Reference, GenerateMac):
 * Message 1–4096 bytes, KeyId (key id or key ARN; AWS documents no alias form here), MacAlgorithm
 * required and the one algorithm of the HMAC key's spec (recorded: {@code Algorithm HMAC_SHA_256 is
 * incompatible with key spec HMAC_224.}), an Enabled GENERATE_VERIFY_MAC key; condition key
 * kms:MacAlgorithm. The HMAC key is unwrapped for the one computation and wiped after it.
 */
@ApplicationScoped
public class MacRequests {
  private final KeyResolver resolver;
  private final KeyMaterials materials;
  private final MacCrypto macs;

  MacRequests(KeyResolver resolver, KeyMaterials materials, MacCrypto macs) {
    this.resolver = resolver;
    this.materials = materials;
    this.macs = macs;
  }

  /** GenerateMac: the HMAC of the message. */
  Uni<GenerateMac.Response> generate(RequestContext context, GenerateMac.Request request) {
    MacAlgorithm algorithm = AwsEnum.fromWire(MacAlgorithm.class, request.macAlgorithm());
    return withMacKey(
        context,
        KmsAction.GENERATE_MAC,
        request.keyId(),
        algorithm,
        (key, macKey) ->
            new GenerateMac.Response(
                macs.mac(algorithm, macKey, request.message()),
                algorithm.wireName(),
                key.arn().toString()));
  }

  /** VerifyMac: a MAC that does not verify (constant-time compare) fails the call. */
  Uni<VerifyMac.Response> verify(RequestContext context, VerifyMac.Request request) {
    MacAlgorithm algorithm = AwsEnum.fromWire(MacAlgorithm.class, request.macAlgorithm());
    return withMacKey(
        context,
        KmsAction.VERIFY_MAC,
        request.keyId(),
        algorithm,
        (key, macKey) -> {
          if (!macs.verify(algorithm, macKey, request.message(), request.mac())) {
            throw new KmsException(ErrorCode.KMS_INVALID_MAC, null);
          }
          return new VerifyMac.Response(key.arn().toString(), true, algorithm.wireName());
        });
  }

  /** Resolves and checks the key, then applies {@code use} to it and its unwrapped HMAC key. */
  private <R> Uni<R> withMacKey(
      RequestContext context,
      KmsAction action,
      KeyReference keyId,
      MacAlgorithm algorithm,
      BiFunction<KmsKey, SecretBytes, R> use) {
    return resolver
        .resolve(
            context,
            action,
            keyId,
            false,
            Conditions.none().with("kms:MacAlgorithm", algorithm.wireName()))
        .map(key -> requireMacKey(key, action, algorithm))
        .chain(key -> materials.withCurrent(key, macKey -> use.apply(key, macKey)));
  }

  private static KmsKey requireMacKey(KmsKey key, KmsAction action, MacAlgorithm algorithm) {
    key.requireStateFor(action).requireUsage(KeyUsage.GENERATE_VERIFY_MAC, action);
    KeyAlgorithms.require(
        algorithm, KeyAlgorithms.mac(key.keySpec(), key.keyUsage()), key.keySpec());
    return key;
  }
}
