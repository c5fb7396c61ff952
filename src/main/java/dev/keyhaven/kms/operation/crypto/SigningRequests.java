package dev.keyhaven.kms.operation.crypto;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeyAlgorithms;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.MessageType;
import dev.keyhaven.kms.domain.key.SigningAlgorithm;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AsymmetricCrypto;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Function;

/**
 * What Sign and Verify share, their bodies included. Request rules (AWS KMS API Reference, Sign):
 * KeyId, Message (1–4096 bytes) and SigningAlgorithm are required (declared on the request
 * records); MessageType is RAW (the default: KMS hashes the message) or DIGEST, whose length must
 * be exactly the algorithm's hash length ("Digest is invalid length for algorithm ECDSA_SHA_256.")
 * and which is never hashed again; the MessageType must be one the algorithm takes ({@link
 * SigningAlgorithm#messageTypes()}: ED25519_SHA_512 RAW only, ED25519_PH_SHA_512 DIGEST only,
 * EXTERNAL_MU for ML-DSA only); the key must be an Enabled SIGN_VERIFY key offering the algorithm.
 */
@ApplicationScoped
public class SigningRequests {
  private final KeyResolver resolver;
  private final KeyMaterials materials;
  private final AsymmetricCrypto asymmetric;

  SigningRequests(KeyResolver resolver, KeyMaterials materials, AsymmetricCrypto asymmetric) {
    this.resolver = resolver;
    this.materials = materials;
    this.asymmetric = asymmetric;
  }

  /** Sign: the private key is unwrapped only for the signature. */
  Uni<Sign.Response> sign(RequestContext context, Sign.Request request) {
    Parsed parsed = parse(request.message(), request.messageType(), request.signingAlgorithm());
    return withSigningKey(
        context,
        KmsAction.SIGN,
        request.keyId(),
        parsed,
        key ->
            materials.withCurrent(
                key,
                privateKey ->
                    new Sign.Response(
                        key.arn().toString(),
                        asymmetric.sign(
                            key.keySpec(),
                            parsed.algorithm(),
                            privateKey,
                            request.message(),
                            parsed.messageType()),
                        parsed.algorithm().wireName())));
  }

  /** Verify: the public key is read without unwrapping anything; a bad signature fails. */
  Uni<Verify.Response> verify(RequestContext context, Verify.Request request) {
    Parsed parsed = parse(request.message(), request.messageType(), request.signingAlgorithm());
    return withSigningKey(
        context,
        KmsAction.VERIFY,
        request.keyId(),
        parsed,
        key ->
            materials
                .publicKey(key)
                .map(
                    publicKey -> {
                      if (!asymmetric.verify(
                          key.keySpec(),
                          parsed.algorithm(),
                          publicKey,
                          request.message(),
                          parsed.messageType(),
                          request.signature())) {
                        throw new KmsException(ErrorCode.KMS_INVALID_SIGNATURE, null);
                      }
                      return new Verify.Response(
                          key.arn().toString(), true, parsed.algorithm().wireName());
                    }));
  }

  /** The parsed algorithm and message type of a valid request. */
  record Parsed(SigningAlgorithm algorithm, MessageType messageType) {
    /** kms:SigningAlgorithm and kms:MessageType. */
    Conditions conditions() {
      return Conditions.none()
          .with("kms:SigningAlgorithm", algorithm.wireName())
          .with("kms:MessageType", messageType.wireName());
    }
  }

  /**
   * The algorithm and message type of a request whose members are valid, checked against each other
   * and the message length.
   */
  private static Parsed parse(byte[] message, String messageType, String signingAlgorithm) {
    SigningAlgorithm algorithm = AwsEnum.fromWire(SigningAlgorithm.class, signingAlgorithm);
    MessageType type =
        messageType == null ? MessageType.RAW : AwsEnum.fromWire(MessageType.class, messageType);
    if (!algorithm.messageTypes().contains(type)) {
      throw KmsException.validation(
          "MessageType "
              + type.wireName()
              + " is not valid for signing algorithm "
              + algorithm.wireName()
              + ".");
    }
    if (type == MessageType.DIGEST
        && algorithm.hash() != null
        && message.length != algorithm.hash().length()) {
      throw KmsException.validation(
          "Digest is invalid length for algorithm " + algorithm.wireName() + ".");
    }
    return new Parsed(algorithm, type);
  }

  /**
   * Resolves and authorizes the key (aliases and cross-account ARNs allowed), checks it, and
   * applies {@code use}.
   */
  private <R> Uni<R> withSigningKey(
      RequestContext context,
      KmsAction action,
      KeyReference keyId,
      Parsed request,
      Function<KmsKey, Uni<R>> use) {
    return resolver
        .resolve(context, action, keyId, true, request.conditions())
        .map(key -> requireSigningKey(key, action, request))
        .chain(key -> use.apply(key));
  }

  /** Key state, usage SIGN_VERIFY, an algorithm the key offers. */
  private static KmsKey requireSigningKey(KmsKey key, KmsAction action, Parsed request) {
    key.requireStateFor(action).requireUsage(KeyUsage.SIGN_VERIFY, action);
    KeyAlgorithms.require(
        request.algorithm(), KeyAlgorithms.signing(key.keySpec(), key.keyUsage()), key.keySpec());
    return key;
  }
}
