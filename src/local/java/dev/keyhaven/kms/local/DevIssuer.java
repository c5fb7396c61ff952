package dev.keyhaven.kms.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.lang.JoseException;

/**
 * The local development JWT issuer: an RSA-2048 key pair kept in the data directory (private key
 * mode 0600), tokens signed RS256 with issuer {@link #ISSUER} and audience {@link #AUDIENCE}, the
 * principal ARN in {@code sub}. Local mode only: production verifies tokens from a real OIDC
 * provider and holds no signing key.
 */
public final class DevIssuer {
  public static final String ISSUER = "https://keyhaven.local/dev";
  public static final String AUDIENCE = "keyhaven";

  private final Path privateKeyFile;
  private final Path publicKeyFile;

  public DevIssuer(Path dataDir) {
    this.privateKeyFile = dataDir.resolve("dev-jwt-private.key");
    this.publicKeyFile = dataDir.resolve("dev-jwt-public.key");
  }

  /** The public key as base64 DER (X.509 SubjectPublicKeyInfo), creating the pair if needed. */
  public String publicKeyBase64() {
    ensureKeyPair();
    try {
      return Files.readString(publicKeyFile, StandardCharsets.US_ASCII).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A signed token for {@code principalArn}, valid for {@code ttl}. */
  public String mint(String principalArn, Duration ttl) {
    ensureKeyPair();
    JwtClaims claims = new JwtClaims();
    claims.setIssuer(ISSUER);
    claims.setAudience(AUDIENCE);
    claims.setSubject(principalArn);
    Instant now = Instant.now();
    claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
    claims.setNotBefore(NumericDate.fromSeconds(now.getEpochSecond() - 5));
    claims.setExpirationTime(NumericDate.fromSeconds(now.plus(ttl).getEpochSecond()));
    claims.setGeneratedJwtId();
    JsonWebSignature jws = new JsonWebSignature();
    jws.setPayload(claims.toJson());
    jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
    jws.setHeader("typ", "JWT");
    jws.setKey(privateKey());
    try {
      return jws.getCompactSerialization();
    } catch (JoseException e) {
      throw new IllegalStateException("cannot sign a dev token", e);
    }
  }

  private PrivateKey privateKey() {
    try {
      byte[] der = Base64.getDecoder().decode(Files.readString(privateKeyFile).trim());
      return KeyFactory.getInstance("RSA", "SunRsaSign")
          .generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("unreadable dev signing key " + privateKeyFile, e);
    }
  }

  private synchronized void ensureKeyPair() {
    if (Files.exists(privateKeyFile) && Files.exists(publicKeyFile)) {
      return;
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA", "SunRsaSign");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      Base64.Encoder b64 = Base64.getEncoder();
      Files.createDirectories(privateKeyFile.toAbsolutePath().getParent());
      try {
        Files.createFile(
            privateKeyFile,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (FileAlreadyExistsException raced) {
        return;
      }
      Files.writeString(privateKeyFile, b64.encodeToString(pair.getPrivate().getEncoded()) + "\n");
      Files.writeString(publicKeyFile, b64.encodeToString(pair.getPublic().getEncoded()) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot create the dev signing key", e);
    }
  }
}
