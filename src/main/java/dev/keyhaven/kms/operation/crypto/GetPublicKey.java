package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KeyAlgorithms;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.KeyMetadata;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * AWS KMS GetPublicKey: the public key of an asymmetric KMS key (RSA, ECC or Ed25519) as DER
 * SubjectPublicKeyInfo (RFC 5280; Ed25519 per RFC 8410 §4), with its key spec, usage and
 * algorithms, so callers can encrypt or verify outside KMS. The private key never leaves the
 * service. Enabled keys only (key-state table); symmetric and HMAC keys have no public key
 * (UnsupportedOperationException). Accepts aliases and, cross-account, key and alias ARNs.
 */
@Action(KmsAction.GET_PUBLIC_KEY)
@ApplicationScoped
public class GetPublicKey implements KmsOperation<GetPublicKey.Request, GetPublicKey.Response> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.GrantTokens List<String> grantTokens) {}

  public record Response(
      String keyId,
      byte[] publicKey,
      String customerMasterKeySpec,
      String keySpec,
      String keyUsage,
      List<String> encryptionAlgorithms,
      List<String> signingAlgorithms,
      List<String> keyAgreementAlgorithms) {}

  private final KeyResolver resolver;
  private final KeyMaterials materials;

  GetPublicKey(KeyResolver resolver, KeyMaterials materials) {
    this.resolver = resolver;
    this.materials = materials;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return resolver
        .resolve(context, KmsAction.GET_PUBLIC_KEY, request.keyId(), true, Conditions.none())
        .map(key -> requireAsymmetric(key.requireStateFor(KmsAction.GET_PUBLIC_KEY)))
        .chain(key -> materials.publicKey(key).map(publicKey -> response(key, publicKey)));
  }

  private static KmsKey requireAsymmetric(KmsKey key) {
    if (!key.keySpec().isAsymmetric()) {
      throw KmsException.unsupported(
          key.arn()
              + " key spec is "
              + key.keySpec().wireName()
              + " which is not valid for this operation.");
    }
    return key;
  }

  private static Response response(KmsKey key, byte[] publicKey) {
    return new Response(
        key.arn().toString(),
        publicKey,
        key.keySpec().wireName(),
        key.keySpec().wireName(),
        key.keyUsage().wireName(),
        KeyMetadata.wireNames(KeyAlgorithms.encryption(key.keySpec(), key.keyUsage())),
        KeyMetadata.wireNames(KeyAlgorithms.signing(key.keySpec(), key.keyUsage())),
        KeyMetadata.wireNames(KeyAlgorithms.keyAgreement(key.keySpec(), key.keyUsage())));
  }
}
