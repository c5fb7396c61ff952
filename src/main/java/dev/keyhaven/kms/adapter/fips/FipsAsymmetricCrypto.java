package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.crypto.HashAlgorithm;
import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.EncryptionAlgorithm;
import dev.keyhaven.kms.domain.key.KeyAlgorithms;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.MessageType;
import dev.keyhaven.kms.domain.key.SigningAlgorithm;
import dev.keyhaven.kms.operation.port.AsymmetricCrypto;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Arrays;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.asymmetric.AsymmetricECPrivateKey;
import org.bouncycastle.crypto.asymmetric.AsymmetricECPublicKey;
import org.bouncycastle.crypto.asymmetric.AsymmetricRSAPrivateKey;
import org.bouncycastle.crypto.asymmetric.AsymmetricRSAPublicKey;
import org.bouncycastle.crypto.fips.FipsEC;
import org.bouncycastle.crypto.fips.FipsRSA;

/**
 * {@link AsymmetricCrypto} with BC-FIPS in approved-only mode. Every operation is a FIPS-approved
 * service of the module except RSASSA-PSS over a caller-supplied DIGEST ({@link PrehashedRsaPss})
 * and ED25519_PH_SHA_512, which signs a caller-supplied DIGEST ({@link PrehashedEd25519}); see
 * docs/fips.md.
 *
 * <p>The module may refuse to use one RSA modulus for both signatures and encryption (SP 800-57
 * key-usage separation; it remembers recently used moduli per process, best effort); KMS keys have
 * one usage each, so this can only show when the same RSA key material is imported into two keys of
 * different usage, and is answered with UnsupportedOperationException instead of an internal error.
 */
@ApplicationScoped
public class FipsAsymmetricCrypto implements AsymmetricCrypto {
  private static final byte[] CONSISTENCY_MESSAGE =
      "keyhaven:pairwise-consistency".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private final boolean prehashedPss;
  private final boolean prehashedEd25519;

  @Inject
  FipsAsymmetricCrypto(KmsConfig config) {
    this(config.fips().prehashedPss(), config.fips().prehashedEd25519());
  }

  /**
   * @param prehashedPss whether RSASSA-PSS over a DIGEST is served (kms.fips.prehashed-pss)
   */
  FipsAsymmetricCrypto(boolean prehashedPss) {
    this(prehashedPss, true);
  }

  /**
   * @param prehashedPss whether RSASSA-PSS over a DIGEST is served (kms.fips.prehashed-pss)
   * @param prehashedEd25519 whether ED25519_PH_SHA_512 is served (kms.fips.prehashed-ed25519)
   */
  FipsAsymmetricCrypto(boolean prehashedPss, boolean prehashedEd25519) {
    this.prehashedPss = prehashedPss;
    this.prehashedEd25519 = prehashedEd25519;
  }

  @Override
  public Uni<KeyPair> generate(KeySpec spec) {
    Context context = Vertx.currentContext();
    if (context == null) {
      return Uni.createFrom().item(() -> FipsKeyPairs.generate(spec));
    }
    // On a worker thread; the result is delivered back on the caller's (duplicated) context, where
    // its reactive database session lives.
    return Uni.createFrom()
        .emitter(
            emitter ->
                context
                    .executeBlocking(() -> FipsKeyPairs.generate(spec), false)
                    .onComplete(
                        result -> {
                          if (result.succeeded()) {
                            emitter.complete(result.result());
                          } else {
                            emitter.fail(result.cause());
                          }
                        }));
  }

  @Override
  public byte[] sign(
      KeySpec spec,
      SigningAlgorithm algorithm,
      SecretBytes privateKey,
      byte[] message,
      MessageType messageType) {
    requireServed(algorithm, messageType);
    try {
      return FipsSignatures.sign(
          algorithm,
          FipsKeyPairs.privateKey(spec, privateKey.exposeForCrypto()),
          message,
          messageType);
    } catch (InvalidKeyException e) {
      throw rsaUsageConflict(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " signing failed", e);
    }
  }

  @Override
  public boolean verify(
      KeySpec spec,
      SigningAlgorithm algorithm,
      byte[] publicKey,
      byte[] message,
      MessageType messageType,
      byte[] signature) {
    requireServed(algorithm, messageType);
    return FipsSignatures.verify(
        algorithm, FipsKeyPairs.publicKey(spec, publicKey), message, messageType, signature);
  }

  @Override
  public byte[] encrypt(EncryptionAlgorithm algorithm, byte[] publicKey, byte[] plaintext) {
    return FipsRsaOaep.encrypt(oaepHash(algorithm), publicKey, plaintext);
  }

  @Override
  public byte[] decrypt(EncryptionAlgorithm algorithm, SecretBytes privateKey, byte[] ciphertext) {
    return FipsRsaOaep.decrypt(oaepHash(algorithm), privateKey.exposeForCrypto(), ciphertext);
  }

  @Override
  public SecretBytes deriveSharedSecret(
      KeySpec spec, SecretBytes privateKey, byte[] peerPublicKey) {
    return FipsEcdh.derive(
        spec, FipsKeyPairs.privateKey(spec, privateKey.exposeForCrypto()), peerPublicKey);
  }

  @Override
  public byte[] publicKeyOf(KeySpec spec, KeyUsage usage, SecretBytes privateKey) {
    byte[] pkcs8 = privateKey.exposeForCrypto();
    PrivateKeyInfo info = FipsKeyPairs.privateKeyInfo(spec, pkcs8);
    byte[] publicKey =
        switch (spec.family()) {
          case RSA -> rsaPublicKey(spec, info);
          case EDWARDS -> edwardsPublicKey(spec, info);
          default -> ecPublicKey(spec, info);
        };
    requirePairwiseConsistency(spec, usage, privateKey, publicKey);
    return publicKey;
  }

  /** RSA: modulus of the spec's size, an approved public exponent, CRT form with n = p·q. */
  private static byte[] rsaPublicKey(KeySpec spec, PrivateKeyInfo info) {
    AsymmetricRSAPrivateKey key;
    try {
      key = new AsymmetricRSAPrivateKey(FipsRSA.ALGORITHM, info);
    } catch (RuntimeException e) {
      throw invalidMaterial(spec);
    }
    BigInteger n = key.getModulus();
    BigInteger p = key.getP();
    BigInteger q = key.getQ();
    if (n.bitLength() != spec.bits()
        || p == null
        || q == null
        || p.signum() <= 0
        || q.signum() <= 0
        || !p.multiply(q).equals(n)
        || !FipsKeyPairs.approvedPublicExponent(key.getPublicExponent())) {
      throw invalidMaterial(spec);
    }
    return new AsymmetricRSAPublicKey(FipsRSA.ALGORITHM, n, key.getPublicExponent()).getEncoded();
  }

  /**
   * Ed25519: a 32-byte private key (RFC 8032 §5.1.5) whose public key the module computes; a public
   * key the PKCS#8 structure carries (RFC 5958 version 1) must be that one.
   */
  private static byte[] edwardsPublicKey(KeySpec spec, PrivateKeyInfo info) {
    try {
      return FipsEd25519.publicKeyOf(info);
    } catch (RuntimeException e) {
      throw invalidMaterial(spec);
    }
  }

  /**
   * EC: a private value 1 ≤ d < n on the spec's named curve; the public key Q = d·G (and, when the
   * PKCS#8 structure carries a public key, it must be Q).
   */
  private static byte[] ecPublicKey(KeySpec spec, PrivateKeyInfo info) {
    AsymmetricECPrivateKey key;
    try {
      key = new AsymmetricECPrivateKey(FipsEC.ALGORITHM, info);
    } catch (RuntimeException e) {
      throw invalidMaterial(spec);
    }
    BigInteger d = key.getS();
    BigInteger order = key.getDomainParameters().getN();
    if (d.signum() <= 0 || d.compareTo(order) >= 0) {
      throw invalidMaterial(spec);
    }
    byte[] derived =
        new AsymmetricECPublicKey(
                FipsEC.ALGORITHM,
                key.getDomainParameters(),
                key.getDomainParameters().getG().multiply(d).normalize())
            .getEncoded();
    byte[] embedded = embeddedEcPublicKey(info);
    if (embedded != null) {
      AsymmetricECPublicKey stated;
      try {
        stated = new AsymmetricECPublicKey(FipsEC.ALGORITHM, key.getDomainParameters(), embedded);
      } catch (RuntimeException e) {
        throw invalidMaterial(spec);
      }
      if (!Arrays.equals(stated.getEncoded(), derived)) {
        throw invalidMaterial(spec);
      }
    }
    return derived;
  }

  /** The optional publicKey [1] of RFC 5915 ECPrivateKey, as an encoded point; null if absent. */
  private static byte[] embeddedEcPublicKey(PrivateKeyInfo info) {
    try {
      org.bouncycastle.asn1.sec.ECPrivateKey structure =
          org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
      return structure.getPublicKey() == null ? null : structure.getPublicKey().getOctets();
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Pairwise consistency of an imported pair for its usage (FIPS 140-3 IG 10.3.A): sign and verify
   * for SIGN_VERIFY, encrypt and decrypt for ENCRYPT_DECRYPT. KEY_AGREEMENT keys need nothing more:
   * their public key was computed from the private value.
   */
  private void requirePairwiseConsistency(
      KeySpec spec, KeyUsage usage, SecretBytes privateKey, byte[] publicKey) {
    boolean consistent =
        switch (usage) {
          case SIGN_VERIFY -> {
            SigningAlgorithm algorithm =
                switch (spec.family()) {
                  case RSA -> SigningAlgorithm.RSASSA_PSS_SHA_256;
                  case EDWARDS -> SigningAlgorithm.ED25519_SHA_512;
                  default -> KeyAlgorithms.signing(spec, usage).get(0);
                };
            byte[] signature =
                sign(spec, algorithm, privateKey, CONSISTENCY_MESSAGE, MessageType.RAW);
            yield verify(
                spec, algorithm, publicKey, CONSISTENCY_MESSAGE, MessageType.RAW, signature);
          }
          case ENCRYPT_DECRYPT -> {
            byte[] probe = Fips.randomBytes(32);
            try {
              byte[] opened =
                  decrypt(
                      EncryptionAlgorithm.RSAES_OAEP_SHA_256,
                      privateKey,
                      encrypt(EncryptionAlgorithm.RSAES_OAEP_SHA_256, publicKey, probe));
              yield Arrays.equals(opened, probe);
            } catch (KmsException e) {
              yield false;
            }
          }
          default -> true;
        };
    if (!consistent) {
      throw invalidMaterial(spec);
    }
  }

  /**
   * With {@code kms.fips.prehashed-pss=false}, RSASSA-PSS over a DIGEST, and with {@code
   * kms.fips.prehashed-ed25519=false}, ED25519_PH_SHA_512 — the two computations outside the
   * module's approved services — are refused instead of served (docs/fips.md).
   */
  private void requireServed(SigningAlgorithm algorithm, MessageType messageType) {
    if (!prehashedEd25519 && algorithm.scheme() == SigningAlgorithm.Scheme.ED25519_PH) {
      throw KmsException.unsupported(
          "ED25519_PH_SHA_512 signs the caller's DIGEST outside the FIPS module's approved services"
              + " and is turned off on this server (kms.fips.prehashed-ed25519=false): use"
              + " ED25519_SHA_512 with the RAW message.");
    }
    if (!prehashedPss
        && messageType == MessageType.DIGEST
        && algorithm.scheme() == SigningAlgorithm.Scheme.RSASSA_PSS) {
      throw KmsException.unsupported(
          "RSASSA_PSS with MessageType DIGEST runs outside the FIPS module's approved services and"
              + " is turned off on this server (kms.fips.prehashed-pss=false): send the RAW message,"
              + " or use RSASSA_PKCS1_V1_5 or ECDSA.");
    }
  }

  private static HashAlgorithm oaepHash(EncryptionAlgorithm algorithm) {
    return switch (algorithm) {
      case RSAES_OAEP_SHA_1 -> HashAlgorithm.SHA_1;
      case RSAES_OAEP_SHA_256 -> HashAlgorithm.SHA_256;
      default -> throw new IllegalArgumentException(algorithm + " is not an RSA algorithm");
    };
  }

  private static KmsException invalidMaterial(KeySpec spec) {
    return new KmsException(
        ErrorCode.INCORRECT_KEY_MATERIAL,
        "The key material is not a valid private key for key spec " + spec.wireName() + ".");
  }

  /**
   * The module's refusal to use an RSA modulus for a second purpose (e.g. "Attempt to sign/verify
   * with RSA modulus already used for encrypt/decrypt"); any other key failure is ours.
   */
  static RuntimeException rsaUsageConflict(InvalidKeyException e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("RSA modulus already used")) {
      return KmsException.unsupported(
          "The FIPS module refuses to use one RSA key pair for both signing and encryption, and"
              + " this key pair was already used for encryption in this service.");
    }
    return new IllegalStateException("signing key rejected", e);
  }
}
