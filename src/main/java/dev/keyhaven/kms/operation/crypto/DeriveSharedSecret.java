package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeyAgreementAlgorithm;
import dev.keyhaven.kms.domain.key.KeyAlgorithms;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AsymmetricCrypto;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * AWS KMS DeriveSharedSecret: ECDH between the private key of a NIST-curve KEY_AGREEMENT key and
 * the peer's public key (PublicKey: DER SubjectPublicKeyInfo, RFC 5280), returning the raw shared
 * secret Z (AWS: "the raw secret"; callers derive keys from it with a KDF). The peer key must be a
 * valid point of the KMS key's own curve (else ValidationException with AWS's empty message; the
 * reason goes to the server log). KeyAgreementAlgorithm ECDH is required; condition key
 * kms:KeyAgreementAlgorithm.
 */
@Action(KmsAction.DERIVE_SHARED_SECRET)
@ApplicationScoped
public class DeriveSharedSecret
    implements KmsOperation<DeriveSharedSecret.Request, DeriveSharedSecret.Response> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Required @Member.OneOf(KeyAgreementAlgorithm.class) String keyAgreementAlgorithm,
      @Member.Required @Member.Blob(min = 1, max = 8192) byte[] publicKey,
      @Member.GrantTokens List<String> grantTokens,
      Boolean dryRun) {}

  public record Response(
      String keyId, byte[] sharedSecret, String keyAgreementAlgorithm, String keyOrigin) {}

  private final KeyResolver resolver;
  private final KeyMaterials materials;
  private final AsymmetricCrypto asymmetric;

  DeriveSharedSecret(KeyResolver resolver, KeyMaterials materials, AsymmetricCrypto asymmetric) {
    this.resolver = resolver;
    this.materials = materials;
    this.asymmetric = asymmetric;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    KeyAgreementAlgorithm algorithm =
        AwsEnum.fromWire(KeyAgreementAlgorithm.class, request.keyAgreementAlgorithm());
    Conditions conditions =
        Conditions.none().with("kms:KeyAgreementAlgorithm", algorithm.wireName());
    return resolver
        .resolve(context, KmsAction.DERIVE_SHARED_SECRET, request.keyId(), true, conditions)
        .map(key -> requireAgreementKey(key, algorithm))
        .chain(
            key ->
                materials.withCurrent(
                    key,
                    privateKey ->
                        new Response(
                            key.arn().toString(),
                            asymmetric
                                .deriveSharedSecret(key.keySpec(), privateKey, request.publicKey())
                                .exposeForCrypto(),
                            algorithm.wireName(),
                            key.origin().wireName())));
  }

  private KmsKey requireAgreementKey(KmsKey key, KeyAgreementAlgorithm algorithm) {
    key.requireStateFor(KmsAction.DERIVE_SHARED_SECRET)
        .requireUsage(KeyUsage.KEY_AGREEMENT, KmsAction.DERIVE_SHARED_SECRET);
    KeyAlgorithms.require(
        algorithm, KeyAlgorithms.keyAgreement(key.keySpec(), key.keyUsage()), key.keySpec());
    return key;
  }
}
