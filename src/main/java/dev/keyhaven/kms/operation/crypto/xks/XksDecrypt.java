package dev.keyhaven.kms.operation.crypto.xks;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.xks.XksCiphertext;
import dev.keyhaven.kms.domain.xks.XksKeyUsage;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KeyMaterials;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.Validator;
import dev.keyhaven.kms.operation.port.XksCrypto;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * XKS proxy API Decrypt (aws-kms-xksproxy-api-spec): AES-256-GCM under the material version the
 * {@code ciphertextMetadata} names. Malformed members (an IV of neither 12 nor 16 bytes, a tag that
 * is not 16 bytes, metadata over 20 bytes) are ValidationException; everything that does not
 * decrypt — no or foreign metadata, a wrong AAD, IV, tag or ciphertext — is one
 * InvalidCiphertextException that never says why.
 */
@Action(KmsAction.XKS_DECRYPT)
@ApplicationScoped
public class XksDecrypt implements KmsOperation<XksDecrypt.Request, XksDecrypt.Response> {
  public record Request(
      String uriPrefix,
      String externalKeyId,
      RequestMetadata requestMetadata,
      byte[] ciphertext,
      byte[] ciphertextMetadata,
      String encryptionAlgorithm,
      byte[] additionalAuthenticatedData,
      byte[] initializationVector,
      byte[] authenticationTag) {}

  public record Response(byte[] plaintext) {}

  private final XksKeys keys;
  private final KeyMaterials materials;
  private final XksCrypto crypto;

  XksDecrypt(XksKeys keys, KeyMaterials materials, XksCrypto crypto) {
    this.keys = keys;
    this.materials = materials;
    this.crypto = crypto;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    validate(request);
    return keys.resolve(
            context,
            KmsAction.XKS_DECRYPT,
            request.uriPrefix(),
            request.externalKeyId(),
            request.requestMetadata(),
            XksKeyUsage.DECRYPT)
        .chain(
            resolved -> {
              int version =
                  XksCiphertext.version(request.ciphertextMetadata())
                      .orElseThrow(KmsException::invalidCiphertext);
              return materials
                  .unwrapped(resolved.key(), version, KmsException::invalidCiphertext)
                  .map(
                      material -> {
                        try {
                          return new Response(
                              crypto.decrypt(
                                  resolved.key().keyId(),
                                  version,
                                  material,
                                  request.initializationVector(),
                                  request.ciphertext(),
                                  request.authenticationTag(),
                                  XksCiphertext.associatedData(
                                      request.additionalAuthenticatedData(),
                                      request.ciphertextMetadata())));
                        } finally {
                          material.wipe();
                        }
                      });
            });
  }

  private static void validate(Request request) {
    new Validator()
        .required("ciphertext", request.ciphertext())
        .required("encryptionAlgorithm", request.encryptionAlgorithm())
        .oneOf("encryptionAlgorithm", request.encryptionAlgorithm(), List.of(XksEncrypt.AES_GCM))
        .required("initializationVector", request.initializationVector())
        .required("authenticationTag", request.authenticationTag())
        .blobLength("authenticationTag", request.authenticationTag(), 16, 16)
        .blobLength(
            "ciphertextMetadata", request.ciphertextMetadata(), 0, XksCiphertext.MAX_METADATA)
        .check();
    int iv = request.initializationVector().length;
    if (iv != 12 && iv != 16) {
      new Validator()
          .fail(
              "Value at 'initializationVector' failed to satisfy constraint: Member must be 12 or 16"
                  + " bytes long")
          .check();
    }
    XksEncrypt.requireSupported("ciphertext", request.ciphertext(), XksCiphertext.MAX_PLAINTEXT);
    XksEncrypt.requireSupported(
        "additionalAuthenticatedData",
        request.additionalAuthenticatedData(),
        XksCiphertext.MAX_AAD);
  }
}
