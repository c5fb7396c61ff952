package dev.keyhaven.kms.operation.crypto.xks;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.xks.XksCiphertext;
import dev.keyhaven.kms.domain.xks.XksKeyUsage;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.Validator;
import dev.keyhaven.kms.operation.port.XksCrypto;
import dev.keyhaven.kms.operation.port.XksCrypto.Sealed;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.util.List;

/**
 * XKS proxy API Encrypt (aws-kms-xksproxy-api-spec): AES-256-GCM under the key's current material
 * version with the caller's AAD, a fresh 12-byte IV and a 16-byte tag; the version travels in
 * {@code ciphertextMetadata} and is authenticated with the AAD ({@link XksCiphertext}). When a
 * {@code ciphertextDataIntegrityValueAlgorithm} is given, the SHA-256 integrity value is computed
 * first and the ciphertext then decrypted once more before it is returned (Appendix C).
 */
@Action(KmsAction.XKS_ENCRYPT)
@ApplicationScoped
public class XksEncrypt implements KmsOperation<XksEncrypt.Request, XksEncrypt.Response> {
  public record Request(
      String uriPrefix,
      String externalKeyId,
      RequestMetadata requestMetadata,
      byte[] plaintext,
      String encryptionAlgorithm,
      byte[] additionalAuthenticatedData,
      String ciphertextDataIntegrityValueAlgorithm) {}

  public record Response(
      byte[] ciphertext,
      byte[] ciphertextMetadata,
      byte[] initializationVector,
      byte[] authenticationTag,
      byte[] ciphertextDataIntegrityValue) {}

  static final String AES_GCM = "AES_GCM";
  private static final String SHA_256 = "SHA_256";

  private final XksKeys keys;
  private final KeyMaterials materials;
  private final XksCrypto crypto;

  XksEncrypt(XksKeys keys, KeyMaterials materials, XksCrypto crypto) {
    this.keys = keys;
    this.materials = materials;
    this.crypto = crypto;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    validate(request);
    return keys.resolve(
            context,
            KmsAction.XKS_ENCRYPT,
            request.uriPrefix(),
            request.externalKeyId(),
            request.requestMetadata(),
            XksKeyUsage.ENCRYPT)
        .chain(
            resolved ->
                materials.withCurrent(resolved.key(), m -> seal(resolved.key(), m, request)));
  }

  private static void validate(Request request) {
    new Validator()
        .required("plaintext", request.plaintext())
        .required("encryptionAlgorithm", request.encryptionAlgorithm())
        .oneOf("encryptionAlgorithm", request.encryptionAlgorithm(), List.of(AES_GCM))
        .oneOf(
            "ciphertextDataIntegrityValueAlgorithm",
            request.ciphertextDataIntegrityValueAlgorithm(),
            List.of(SHA_256))
        .check();
    requireSupported("plaintext", request.plaintext(), XksCiphertext.MAX_PLAINTEXT);
    requireSupported(
        "additionalAuthenticatedData",
        request.additionalAuthenticatedData(),
        XksCiphertext.MAX_AAD);
  }

  /** Beyond what the spec requires a proxy to accept: UnsupportedOperationException (spec). */
  static void requireSupported(String member, byte[] value, int max) {
    if (value != null && value.length > max) {
      throw new KmsException(
          ErrorCode.UNSUPPORTED_OPERATION,
          member
              + " of "
              + value.length
              + " bytes is longer than the "
              + max
              + " bytes supported.");
    }
  }

  private Response seal(KmsKey key, SecretBytes material, Request request) {
    byte[] aad = request.additionalAuthenticatedData();
    byte[] metadata = XksCiphertext.metadata(key.currentVersion());
    byte[] associated = XksCiphertext.associatedData(aad, metadata);
    Sealed sealed =
        crypto.encrypt(
            key.keyId(), key.currentVersion(), material, request.plaintext(), associated);
    byte[] integrity = null;
    if (request.ciphertextDataIntegrityValueAlgorithm() != null) {
      // Appendix C: the value first, then a decryption of exactly what is returned.
      integrity =
          crypto.sha256(
              XksCiphertext.integrityInput(
                  aad, metadata, sealed.iv(), sealed.ciphertext(), sealed.tag()));
      byte[] opened =
          crypto.decrypt(
              key.keyId(),
              key.currentVersion(),
              material,
              sealed.iv(),
              sealed.ciphertext(),
              sealed.tag(),
              associated);
      if (!MessageDigest.isEqual(opened, request.plaintext())) {
        throw new IllegalStateException("XKS encryption did not decrypt to its plaintext");
      }
    }
    return new Response(sealed.ciphertext(), metadata, sealed.iv(), sealed.tag(), integrity);
  }
}
