package dev.keyhaven.kms.adapter.fips;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.operation.port.AuditSigner;
import dev.keyhaven.kms.operation.port.SecretWrapping;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link AuditSigner} with BC-FIPS: ECDSA on P-384 with SHA-384 (FIPS 186-5). The private key is
 * wrapped under the root key with purpose {@code audit-signing-key:<key id>}; unwrapped, it lives
 * only in this object.
 */
@ApplicationScoped
public class FipsAuditSigner implements AuditSigner {
  private static final String ALGORITHM = "SHA384withECDSA";

  private final SecretWrapping crypto;
  private final Map<String, PublicKey> publicKeys = new ConcurrentHashMap<>();
  private volatile StoredKey current;
  private volatile PrivateKey privateKey;

  FipsAuditSigner(SecretWrapping crypto) {
    this.crypto = crypto;
  }

  @Override
  public StoredKey generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", Fips.PROVIDER);
      generator.initialize(new ECGenParameterSpec("P-384"), Fips.drbg());
      KeyPair pair = generator.generateKeyPair();
      byte[] publicDer = pair.getPublic().getEncoded();
      String keyId = keyId(publicDer);
      SecretBytes privateDer = SecretBytes.adopt(pair.getPrivate().getEncoded());
      try {
        return new StoredKey(keyId, publicDer, crypto.wrapSecret(purpose(keyId), privateDer));
      } finally {
        privateDer.wipe();
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate the audit signing key", e);
    }
  }

  @Override
  public void use(StoredKey key) {
    if (!keyId(key.publicKeyDer()).equals(key.keyId())) {
      throw new IllegalStateException(
          "audit signing key " + key.keyId() + " does not match its id");
    }
    SecretBytes privateDer = crypto.unwrapSecret(purpose(key.keyId()), key.wrappedPrivateKey());
    try {
      privateKey =
          KeyFactory.getInstance("EC", Fips.PROVIDER)
              .generatePrivate(new PKCS8EncodedKeySpec(privateDer.exposeForCrypto()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the stored audit signing key does not load", e);
    } finally {
      privateDer.wipe();
    }
    current = key;
  }

  @Override
  public StoredKey current() {
    StoredKey key = current;
    if (key == null) {
      throw new IllegalStateException("no audit signing key in use");
    }
    return key;
  }

  @Override
  public AuditSigner.SignedBytes sign(byte[] toBeSigned) {
    StoredKey key = current();
    try {
      Signature signature = Signature.getInstance(ALGORITHM, Fips.PROVIDER);
      signature.initSign(privateKey, Fips.drbg());
      signature.update(toBeSigned);
      return new AuditSigner.SignedBytes(key.keyId(), signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an audit checkpoint or manifest", e);
    }
  }

  @Override
  public boolean verify(byte[] toBeSigned, byte[] value, byte[] publicKeyDer) {
    if (value == null || publicKeyDer == null) {
      return false;
    }
    try {
      PublicKey key =
          publicKeys.computeIfAbsent(
              HexFormat.of().formatHex(publicKeyDer), hex -> decodePublic(publicKeyDer));
      Signature signature = Signature.getInstance(ALGORITHM, Fips.PROVIDER);
      signature.initVerify(key);
      signature.update(toBeSigned);
      return signature.verify(value);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Hex SHA-256 of the DER public key, the id checkpoints name. */
  public static String keyId(byte[] publicKeyDer) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256", Fips.PROVIDER).digest(publicKeyDer));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PublicKey decodePublic(byte[] der) {
    try {
      return KeyFactory.getInstance("EC", Fips.PROVIDER)
          .generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an EC public key", e);
    }
  }

  private static String purpose(String keyId) {
    return "audit-signing-key:" + keyId;
  }
}
