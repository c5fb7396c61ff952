package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sign and Verify through the API, every (key spec, signing algorithm) pair of AWS's matrix, RAW
 * and DIGEST messages. Each signature Keyhaven makes is also verified by the JDK's own providers
 * (SunRsaSign, SunEC) against the DER public key GetPublicKey returns — so a DIGEST message that
 * was hashed a second time would fail there. secp256k1 is not in JDK 17's SunEC; its signatures are
 * checked by Keyhaven's Verify here and by the Wycheproof vectors (EcdsaWycheproofTest). Ed25519
 * and Ed25519ph signatures are verified by SunEC's Ed25519 (and, in the black-box stages, by
 * pyca/cryptography in tests/cli/boto3-smoke.py).
 */
@QuarkusTest
class SignVerifyTest {
  private static final KmsApi KMS = KmsApi.newAccount();
  private static final Map<String, String> KEYS = new LinkedHashMap<>();
  private static final byte[] MESSAGE =
      "transfer 10 units to account 42".getBytes(StandardCharsets.UTF_8);

  private static String key(String spec) {
    return KEYS.computeIfAbsent(spec, s -> KMS.createKey(s, "SIGN_VERIFY"));
  }

  private static byte[] sign(String keyId, String algorithm, String messageType, byte[] message) {
    String signature =
        KMS.call(
                "Sign",
                Map.of(
                    "KeyId",
                    keyId,
                    "Message",
                    KmsApi.b64(message),
                    "MessageType",
                    messageType,
                    "SigningAlgorithm",
                    algorithm))
            .statusCode(200)
            .body("KeyId", equalTo(KMS.arnOf(keyId)))
            .body("SigningAlgorithm", equalTo(algorithm))
            .extract()
            .path("Signature");
    return KmsApi.unb64(signature);
  }

  private static io.restassured.response.ValidatableResponse verify(
      String keyId, String algorithm, String messageType, byte[] message, byte[] signature) {
    return KMS.call(
        "Verify",
        Map.of(
            "KeyId",
            keyId,
            "Message",
            KmsApi.b64(message),
            "MessageType",
            messageType,
            "SigningAlgorithm",
            algorithm,
            "Signature",
            KmsApi.b64(signature)));
  }

  private static PublicKey publicKey(String keyId) throws Exception {
    byte[] der =
        KmsApi.unb64(
            KMS.call("GetPublicKey", Map.of("KeyId", keyId))
                .statusCode(200)
                .extract()
                .path("PublicKey"));
    boolean rsa = der.length > 200;
    return KeyFactory.getInstance(rsa ? "RSA" : "EC", rsa ? "SunRsaSign" : "SunEC")
        .generatePublic(new X509EncodedKeySpec(der));
  }

  /** The JDK's verification of a signature over MESSAGE (never the Keyhaven code path). */
  private static boolean jdkVerifies(String algorithm, PublicKey key, byte[] signature)
      throws Exception {
    Signature jdk;
    String hash = "SHA-" + algorithm.substring(algorithm.length() - 3);
    if (algorithm.startsWith("RSASSA_PSS")) {
      jdk = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
      int saltLength = Integer.parseInt(algorithm.substring(algorithm.length() - 3)) / 8;
      jdk.setParameter(
          new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), saltLength, 1));
    } else if (algorithm.startsWith("RSASSA_PKCS1")) {
      jdk = Signature.getInstance(hash.replace("-", "") + "withRSA", "SunRsaSign");
    } else {
      jdk = Signature.getInstance(hash.replace("-", "") + "withECDSA", "SunEC");
    }
    jdk.initVerify(key);
    jdk.update(MESSAGE);
    return jdk.verify(signature);
  }

  private static byte[] digest(String algorithm, byte[] message) throws Exception {
    return MessageDigest.getInstance("SHA-" + algorithm.substring(algorithm.length() - 3))
        .digest(message);
  }

  // AWS KMS Developer Guide, "Key spec reference": RSA keys sign with RSASSA-PSS and
  // RSASSA-PKCS1-v1_5 (SHA-256/384/512); each NIST curve with ECDSA and its one hash.
  @ParameterizedTest
  @CsvSource({
    "RSA_2048, RSASSA_PSS_SHA_256",
    "RSA_2048, RSASSA_PSS_SHA_384",
    "RSA_2048, RSASSA_PSS_SHA_512",
    "RSA_2048, RSASSA_PKCS1_V1_5_SHA_256",
    "RSA_2048, RSASSA_PKCS1_V1_5_SHA_384",
    "RSA_2048, RSASSA_PKCS1_V1_5_SHA_512",
    "RSA_3072, RSASSA_PSS_SHA_384",
    "RSA_3072, RSASSA_PKCS1_V1_5_SHA_256",
    "ECC_NIST_P256, ECDSA_SHA_256",
    "ECC_NIST_P384, ECDSA_SHA_384",
    "ECC_NIST_P521, ECDSA_SHA_512"
  })
  void sign_rawAndDigest_verifiedByJdkAndByVerify(String spec, String algorithm) throws Exception {
    String keyId = key(spec);
    PublicKey publicKey = publicKey(keyId);
    byte[] raw = sign(keyId, algorithm, "RAW", MESSAGE);
    // A DIGEST is the caller's hash, signed as is: the JDK verifies it as a signature of MESSAGE.
    byte[] fromDigest = sign(keyId, algorithm, "DIGEST", digest(algorithm, MESSAGE));
    assertTrue(jdkVerifies(algorithm, publicKey, raw), "JDK verifies the RAW signature");
    assertTrue(jdkVerifies(algorithm, publicKey, fromDigest), "JDK verifies the DIGEST signature");
    for (byte[] signature : new byte[][] {raw, fromDigest}) {
      verify(keyId, algorithm, "RAW", MESSAGE, signature)
          .statusCode(200)
          .body("SignatureValid", equalTo(true));
      verify(keyId, algorithm, "DIGEST", digest(algorithm, MESSAGE), signature)
          .statusCode(200)
          .body("SignatureValid", equalTo(true))
          .body("KeyId", equalTo(KMS.arnOf(keyId)));
    }
  }

  @Test
  void sign_secp256k1_verifiesRawAndDigest() throws Exception {
    String keyId = key("ECC_SECG_P256K1");
    byte[] raw = sign(keyId, "ECDSA_SHA_256", "RAW", MESSAGE);
    byte[] fromDigest = sign(keyId, "ECDSA_SHA_256", "DIGEST", digest("ECDSA_SHA_256", MESSAGE));
    for (byte[] signature : new byte[][] {raw, fromDigest}) {
      verify(keyId, "ECDSA_SHA_256", "RAW", MESSAGE, signature).statusCode(200);
    }
    KMS.call("GetPublicKey", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeySpec", equalTo("ECC_SECG_P256K1"))
        .body("SigningAlgorithms", equalTo(java.util.List.of("ECDSA_SHA_256")));
  }

  /** The JDK's (SunEC) Ed25519 verification: PureEdDSA, or Ed25519ph over the message itself. */
  private static boolean jdkVerifiesEd25519(
      byte[] spki, byte[] message, byte[] signature, boolean prehash) throws Exception {
    Signature jdk = Signature.getInstance("Ed25519", "SunEC");
    jdk.setParameter(new java.security.spec.EdDSAParameterSpec(prehash));
    jdk.initVerify(
        KeyFactory.getInstance("Ed25519", "SunEC").generatePublic(new X509EncodedKeySpec(spki)));
    jdk.update(message);
    return jdk.verify(signature);
  }

  // AWS KMS API Reference, CreateKey KeySpec: "For ECC_NIST_EDWARDS25519 KMS keys, the
  // ED25519_SHA_512 signing algorithm requires MessageType:RAW, while ED25519_PH_SHA_512 requires
  // MessageType:DIGEST." A DIGEST is SHA-512(M), signed as Ed25519ph's PH(M) without hashing again,
  // so the JDK's Ed25519ph verifies it against M itself. Ed25519 is deterministic: the same
  // request signs the same bytes.
  @Test
  void sign_ed25519_rawAndPrehashedDigest_verifiedByJdkAndByVerify() throws Exception {
    String keyId = key("ECC_NIST_EDWARDS25519");
    byte[] spki =
        KmsApi.unb64(
            KMS.call("GetPublicKey", Map.of("KeyId", keyId))
                .statusCode(200)
                .body("KeySpec", equalTo("ECC_NIST_EDWARDS25519"))
                .body("KeyUsage", equalTo("SIGN_VERIFY"))
                .body(
                    "SigningAlgorithms",
                    equalTo(java.util.List.of("ED25519_PH_SHA_512", "ED25519_SHA_512")))
                .extract()
                .path("PublicKey"));
    assertEquals(44, spki.length, "RFC 8410 SubjectPublicKeyInfo");
    byte[] pure = sign(keyId, "ED25519_SHA_512", "RAW", MESSAGE);
    byte[] digest = MessageDigest.getInstance("SHA-512").digest(MESSAGE);
    byte[] prehashed = sign(keyId, "ED25519_PH_SHA_512", "DIGEST", digest);
    assertEquals(64, pure.length);
    assertEquals(64, prehashed.length);
    assertArrayEquals(pure, sign(keyId, "ED25519_SHA_512", "RAW", MESSAGE), "deterministic");
    assertTrue(
        jdkVerifiesEd25519(spki, MESSAGE, pure, false), "JDK verifies Ed25519 over the message");
    assertTrue(
        jdkVerifiesEd25519(spki, MESSAGE, prehashed, true),
        "JDK verifies Ed25519ph over the message");
    assertFalse(
        jdkVerifiesEd25519(spki, digest, prehashed, false),
        "not a PureEdDSA signature of the digest");
    verify(keyId, "ED25519_SHA_512", "RAW", MESSAGE, pure)
        .statusCode(200)
        .body("SignatureValid", equalTo(true))
        .body("SigningAlgorithm", equalTo("ED25519_SHA_512"));
    verify(keyId, "ED25519_PH_SHA_512", "DIGEST", digest, prehashed)
        .statusCode(200)
        .body("SignatureValid", equalTo(true));
    // One algorithm's signature is not the other's; a changed message or signature does not verify.
    byte[] tampered = pure.clone();
    tampered[0] ^= 1;
    for (var response :
        java.util.List.of(
            verify(keyId, "ED25519_PH_SHA_512", "DIGEST", digest, pure),
            verify(keyId, "ED25519_SHA_512", "RAW", MESSAGE, prehashed),
            verify(keyId, "ED25519_SHA_512", "RAW", MESSAGE, tampered),
            verify(keyId, "ED25519_SHA_512", "RAW", "other".getBytes(StandardCharsets.UTF_8), pure),
            verify(keyId, "ED25519_SHA_512", "RAW", MESSAGE, java.util.Arrays.copyOf(pure, 63)))) {
      response.statusCode(400).body("__type", equalTo("KMSInvalidSignatureException"));
    }
    // RAW messages up to 4096 bytes, as for every algorithm.
    byte[] longest = new byte[4096];
    assertTrue(
        jdkVerifiesEd25519(spki, longest, sign(keyId, "ED25519_SHA_512", "RAW", longest), false));
  }

  // Each row: algorithm, MessageType (empty: left out, which is RAW), message length, error,
  // message.
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ED25519_SHA_512 | DIGEST | 64 | ValidationException | MessageType DIGEST is not valid for signing algorithm ED25519_SHA_512.",
        "ED25519_PH_SHA_512 | RAW | 31 | ValidationException | MessageType RAW is not valid for signing algorithm ED25519_PH_SHA_512.",
        "ED25519_PH_SHA_512 | '' | 64 | ValidationException | MessageType RAW is not valid for signing algorithm ED25519_PH_SHA_512.",
        "ED25519_PH_SHA_512 | DIGEST | 32 | ValidationException | Digest is invalid length for algorithm ED25519_PH_SHA_512.",
        "ED25519_SHA_512 | EXTERNAL_MU | 64 | ValidationException | MessageType EXTERNAL_MU is not valid for signing algorithm ED25519_SHA_512.",
        "ECDSA_SHA_256 | RAW | 31 | InvalidKeyUsageException | Algorithm ECDSA_SHA_256 is incompatible with key spec ECC_NIST_EDWARDS25519.",
        // ML-DSA is not served (docs/fips.md): its algorithm, with either of its MessageTypes,
        // fits no Keyhaven key.
        "ML_DSA_SHAKE_256 | RAW | 31 | InvalidKeyUsageException | Algorithm ML_DSA_SHAKE_256 is incompatible with key spec ECC_NIST_EDWARDS25519.",
        "ML_DSA_SHAKE_256 | EXTERNAL_MU | 64 | InvalidKeyUsageException | Algorithm ML_DSA_SHAKE_256 is incompatible with key spec ECC_NIST_EDWARDS25519.",
        "ML_DSA_SHAKE_256 | DIGEST | 64 | ValidationException | MessageType DIGEST is not valid for signing algorithm ML_DSA_SHAKE_256."
      })
  void sign_ed25519_messageTypeOrAlgorithmTheKeyDoesNotTake_awsErrors(
      String algorithm, String messageType, int length, String error, String message) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("KeyId", key("ECC_NIST_EDWARDS25519"));
    request.put("Message", KmsApi.b64(new byte[length]));
    request.put("SigningAlgorithm", algorithm);
    if (!messageType.isEmpty()) {
      request.put("MessageType", messageType);
    }
    for (String operation : new String[] {"Sign", "Verify"}) {
      if (operation.equals("Verify")) {
        request.put("Signature", KmsApi.b64(new byte[64]));
      }
      KMS.call(operation, request)
          .statusCode(400)
          .body("__type", equalTo(error))
          .body("message", equalTo(message));
    }
  }

  @Test
  void sign_ed25519AlgorithmOnAnotherKeySpec_invalidKeyUsage() {
    KMS.call(
            "Sign",
            Map.of(
                "KeyId",
                key("ECC_NIST_P256"),
                "Message",
                KmsApi.b64(MESSAGE),
                "SigningAlgorithm",
                "ED25519_SHA_512"))
        .statusCode(400)
        .body("__type", equalTo("InvalidKeyUsageException"))
        .body(
            "message",
            equalTo("Algorithm ED25519_SHA_512 is incompatible with key spec ECC_NIST_P256."));
  }

  // AWS KMS API Reference, Verify: a signature that does not verify fails the call with
  // KMSInvalidSignatureException (no SignatureValid: false).
  @Test
  void verify_tamperedSignatureOrMessage_kmsInvalidSignature() {
    String keyId = key("ECC_NIST_P256");
    byte[] signature = sign(keyId, "ECDSA_SHA_256", "RAW", MESSAGE);
    byte[] tampered = signature.clone();
    tampered[tampered.length - 1] ^= 1;
    for (var response :
        java.util.List.of(
            verify(keyId, "ECDSA_SHA_256", "RAW", MESSAGE, tampered),
            verify(
                keyId, "ECDSA_SHA_256", "RAW", "other".getBytes(StandardCharsets.UTF_8), signature),
            verify(keyId, "ECDSA_SHA_256", "RAW", MESSAGE, new byte[] {1, 2, 3}))) {
      response
          .statusCode(400)
          .body("__type", equalTo("KMSInvalidSignatureException"))
          .body("message", nullValue());
    }
    String rsa = key("RSA_2048");
    byte[] pss = sign(rsa, "RSASSA_PSS_SHA_256", "RAW", MESSAGE);
    // Signed with PSS, verified as PKCS#1 v1.5: invalid.
    verify(rsa, "RSASSA_PKCS1_V1_5_SHA_256", "RAW", MESSAGE, pss)
        .statusCode(400)
        .body("__type", equalTo("KMSInvalidSignatureException"));
  }

  // Recorded from AWS: "Digest is invalid length for algorithm ECDSA_SHA_256."
  @Test
  void sign_digestOfWrongLength_validationException() {
    String keyId = key("ECC_NIST_P256");
    KMS.call(
            "Sign",
            Map.of(
                "KeyId",
                keyId,
                "Message",
                KmsApi.b64(new byte[48]),
                "MessageType",
                "DIGEST",
                "SigningAlgorithm",
                "ECDSA_SHA_256"))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body("message", equalTo("Digest is invalid length for algorithm ECDSA_SHA_256."));
    verify(key("RSA_2048"), "RSASSA_PSS_SHA_512", "DIGEST", new byte[32], new byte[256])
        .statusCode(400)
        .body("message", equalTo("Digest is invalid length for algorithm RSASSA_PSS_SHA_512."));
  }

  @Test
  void sign_rawMessageOver4096Bytes_validationException() {
    KMS.call(
            "Sign",
            Map.of(
                "KeyId",
                key("ECC_NIST_P256"),
                "Message",
                KmsApi.b64(new byte[4097]),
                "SigningAlgorithm",
                "ECDSA_SHA_256"))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"))
        .body(
            "message",
            equalTo(
                "1 validation error detected: Value at 'message' failed to satisfy constraint:"
                    + " Member must have length less than or equal to 4096"));
  }

  @Test
  void sign_algorithmTheKeyDoesNotOffer_invalidKeyUsage() {
    KMS.call(
            "Sign",
            Map.of(
                "KeyId",
                key("ECC_NIST_P256"),
                "Message",
                KmsApi.b64(MESSAGE),
                "SigningAlgorithm",
                "ECDSA_SHA_384"))
        .statusCode(400)
        .body("__type", equalTo("InvalidKeyUsageException"))
        .body(
            "message",
            equalTo("Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256."));
    KMS.call(
            "Sign",
            Map.of(
                "KeyId",
                key("RSA_2048"),
                "Message",
                KmsApi.b64(MESSAGE),
                "SigningAlgorithm",
                "ECDSA_SHA_256"))
        .statusCode(400)
        .body("__type", equalTo("InvalidKeyUsageException"));
    KMS.call(
            "Sign",
            Map.of(
                "KeyId",
                key("RSA_2048"),
                "Message",
                KmsApi.b64(MESSAGE),
                "SigningAlgorithm",
                "RSA_PSS"))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
  }

  // Recorded from AWS: "<key ARN> key usage is ENCRYPT_DECRYPT which is not valid for Verify."
  @Test
  void signVerify_keyOfOtherUsage_invalidKeyUsage() {
    String symmetric = KMS.createKey();
    verify(symmetric, "ECDSA_SHA_256", "RAW", MESSAGE, new byte[] {1})
        .statusCode(400)
        .body("__type", equalTo("InvalidKeyUsageException"))
        .body(
            "message",
            equalTo(
                KMS.arnOf(symmetric)
                    + " key usage is ENCRYPT_DECRYPT which is not valid for Verify."));
    String hmac = KMS.createKey("HMAC_256", "GENERATE_VERIFY_MAC");
    KMS.call(
            "Sign",
            Map.of(
                "KeyId", hmac, "Message", KmsApi.b64(MESSAGE), "SigningAlgorithm", "ECDSA_SHA_256"))
        .statusCode(400)
        .body(
            "message",
            equalTo(
                KMS.arnOf(hmac)
                    + " key usage is GENERATE_VERIFY_MAC which is not valid for Sign."));
  }

  @Test
  void sign_disabledKeyOrDryRun_awsAnswers() {
    String keyId = KMS.createKey("ECC_NIST_P384", "SIGN_VERIFY");
    Map<String, Object> request =
        new LinkedHashMap<>(
            Map.of(
                "KeyId",
                keyId,
                "Message",
                KmsApi.b64(MESSAGE),
                "SigningAlgorithm",
                "ECDSA_SHA_384"));
    request.put("DryRun", true);
    KMS.call("Sign", request).statusCode(400).body("__type", equalTo("DryRunOperationException"));
    KMS.call("DisableKey", Map.of("KeyId", keyId)).statusCode(200);
    request.remove("DryRun");
    KMS.call("Sign", request)
        .statusCode(400)
        .body("__type", equalTo("DisabledException"))
        .body("message", equalTo(KMS.arnOf(keyId) + " is disabled."));
  }
}
