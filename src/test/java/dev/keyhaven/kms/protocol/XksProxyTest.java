package dev.keyhaven.kms.protocol;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The XKS proxy API (aws-kms-xksproxy-api-spec) through the running service, signed by {@link
 * XksClient}: every operation and error of the spec, SigV4 negatives, key usage, key state, key
 * policy conditions on the request metadata, the audit trail; and the key store administration
 * operations (KeyhavenAdmin.*XksKeyStore*, *XksKey*).
 */
@QuarkusTest
class XksProxyTest {
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder UNB64 = Base64.getDecoder();
  private static final String ALICE = "arn:aws:iam::123456789012:user/Alice";
  // The spec's examples: "Hello World!" and "project=nile,department=marketing".
  private static final String HELLO = "SGVsbG8gV29ybGQh";
  private static final String AAD = "cHJvamVjdD1uaWxlLGRlcGFydG1lbnQ9bWFya2V0aW5n";

  private final KmsApi root = KmsApi.newAccount();

  /** A key store of {@link #root}'s account and a client signing with its credential. */
  private record Store(String name, XksClient client) {}

  private Store store() {
    String name = "store-" + UUID.randomUUID().toString().substring(0, 8);
    ExtractableResponse<Response> created =
        root.callAdmin("CreateXksKeyStore", Map.of("Name", name)).statusCode(200).extract();
    return new Store(
        name,
        new XksClient(
            created.path("UriPrefix"),
            created.path("AccessKeyId"),
            created.path("SecretAccessKey")));
  }

  private String xksKey(Store store, String... usage) {
    return root.callAdmin(
            "CreateXksKey", Map.of("KeyStoreName", store.name(), "KeyUsage", List.of(usage)))
        .statusCode(200)
        .extract()
        .path("KeyId");
  }

  private String metadata(String keyId) {
    return "{\"awsPrincipalArn\":\""
        + ALICE
        + "\",\"kmsKeyArn\":\""
        + root.arnOf(keyId)
        + "\",\"kmsOperation\":\"Encrypt\",\"kmsRequestId\":\""
        + UUID.randomUUID()
        + "\",\"kmsViaService\":\"ebs\"}";
  }

  private String encryptBody(String keyId, String plaintext, String aad, boolean cdiv) {
    return "{\"requestMetadata\":"
        + metadata(keyId)
        + ",\"plaintext\":\""
        + plaintext
        + "\""
        + (aad == null ? "" : ",\"additionalAuthenticatedData\":\"" + aad + "\"")
        + ",\"encryptionAlgorithm\":\"AES_GCM\""
        + (cdiv ? ",\"ciphertextDataIntegrityValueAlgorithm\":\"SHA_256\"" : "")
        + "}";
  }

  private static String decryptBody(
      String metadata,
      String ciphertext,
      String ciphertextMetadata,
      String aad,
      String iv,
      String tag) {
    return "{\"requestMetadata\":"
        + metadata
        + ",\"ciphertext\":\""
        + ciphertext
        + "\""
        + (ciphertextMetadata == null
            ? ""
            : ",\"ciphertextMetadata\":\"" + ciphertextMetadata + "\"")
        + (aad == null ? "" : ",\"additionalAuthenticatedData\":\"" + aad + "\"")
        + ",\"encryptionAlgorithm\":\"AES_GCM\",\"initializationVector\":\""
        + iv
        + "\",\"authenticationTag\":\""
        + tag
        + "\"}";
  }

  private ExtractableResponse<Response> encrypt(Store s, String keyId, String aad) {
    return s.client()
        .post("keys/" + keyId + "/encrypt", encryptBody(keyId, HELLO, aad, false))
        .statusCode(200)
        .extract();
  }

  // --- Administration -------------------------------------------------------------------------

  @Test
  void createXksKeyStore_returnsPrefixAndCredential_listedWithoutSecret() {
    String name = "orders-" + UUID.randomUUID().toString().substring(0, 6);
    ExtractableResponse<Response> created =
        root.callAdmin("CreateXksKeyStore", Map.of("Name", name))
            .statusCode(200)
            .body("UriPrefix", matchesPattern("/keystores/[0-9a-f-]{36}"))
            // Spec, "XKS proxy configuration": 20-30 of A-Z and 2-7; a secret of 43-64 characters.
            .body("AccessKeyId", matchesPattern("[A-Z2-7]{20,30}"))
            .body("SecretAccessKey", matchesPattern("[A-Za-z0-9+/=]{43,64}"))
            .extract();
    assertEquals(
        created.path("UriPrefix") + "/kms/xks/v1", created.<String>path("XksProxyUriPath"));
    String listed =
        root.callAdmin("ListXksKeyStores", Map.of())
            .statusCode(200)
            .body("KeyStores.Name", hasItem(name))
            .body(
                "KeyStores.find { it.Name == '" + name + "' }.AccessKeyIds",
                equalTo(List.of(created.<String>path("AccessKeyId"))))
            .body(
                "KeyStores.find { it.Name == '" + name + "' }.PrincipalArn",
                equalTo("arn:aws:iam::" + root.accountId() + ":user/keyhaven-xks/" + name))
            .extract()
            .asString();
    assertFalse(listed.contains(created.<String>path("SecretAccessKey")));
    root.callAdmin("CreateXksKeyStore", Map.of("Name", name))
        .statusCode(400)
        .body("__type", equalTo("AlreadyExistsException"));
  }

  @Test
  void adminOperations_badInput_validationAndNotFound() {
    root.callAdmin("CreateXksKeyStore", Map.of("Name", "bad name!"))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    root.callAdmin("CreateXksKeyStore", Map.of())
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    Store s = store();
    root.callAdmin("CreateXksKey", Map.of("KeyStoreName", s.name(), "KeyUsage", List.of("SIGN")))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    root.callAdmin("CreateXksKey", Map.of("KeyStoreName", s.name()))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    root.callAdmin("CreateXksKey", Map.of("KeyStoreName", "missing", "KeyUsage", List.of()))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
    root.callAdmin("ListXksKeys", Map.of("KeyStoreName", s.name()))
        .statusCode(200)
        .body("Keys", hasSize(0));
  }

  @Test
  void adminOperations_otherPrincipal_needsKeyhavenActionInIdentityPolicy() {
    String role = "arn:aws:iam::" + root.accountId() + ":role/XksAdmin";
    KmsApi admin = root.as(role);
    admin
        .callAdmin("CreateXksKeyStore", Map.of("Name", "by-role"))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"))
        .body("message", containsString("keyhaven:CreateXksKeyStore"));
    root.callAdmin(
            "PutPrincipalPolicy",
            Map.of(
                "PrincipalArn",
                role,
                "PolicyDocument",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
                    + "[\"keyhaven:CreateXksKeyStore\",\"keyhaven:ListXksKeyStores\"],\"Resource\":\"*\"}]}"))
        .statusCode(200);
    admin.callAdmin("CreateXksKeyStore", Map.of("Name", "by-role")).statusCode(200);
    admin
        .callAdmin("ListXksKeyStores", Map.of())
        .statusCode(200)
        .body("KeyStores.Name", hasItem("by-role"));
    admin
        .callAdmin("DeleteXksKeyStore", Map.of("Name", "by-role"))
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }

  @Test
  void deleteXksKeyStore_withKeys_conflict_thenEmpty_deletedAndCredentialRevoked() {
    Store s = store();
    String keyId = xksKey(s, "ENCRYPT", "DECRYPT");
    root.callAdmin("ListXksKeys", Map.of("KeyStoreName", s.name()))
        .statusCode(200)
        .body("Keys.KeyId", equalTo(List.of(keyId)))
        .body("Keys[0].KeyUsage", equalTo(List.of("ENCRYPT", "DECRYPT")));
    root.callAdmin("DeleteXksKeyStore", Map.of("Name", s.name()))
        .statusCode(400)
        .body("__type", equalTo("ConflictException"));
    Store empty = store();
    root.callAdmin("DeleteXksKeyStore", Map.of("Name", empty.name())).statusCode(200);
    root.callAdmin("DeleteXksKeyStore", Map.of("Name", empty.name()))
        .statusCode(400)
        .body("__type", equalTo("NotFoundException"));
    health(empty.client())
        .statusCode(401)
        .body("errorName", equalTo("AuthenticationFailedException"));
  }

  // A DeleteXksKeyStore racing a CreateXksKey on the same store: one wins wholly, the other gets
  // an AWS-style error (never a 500), and the store and its keys agree with the answers.
  @Test
  void deleteXksKeyStore_racingCreateXksKey_oneWinsTheOtherCleanError() throws Exception {
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 12; round++) {
        Store s = store();
        var start = new java.util.concurrent.CyclicBarrier(2);
        var create =
            pool.submit(
                () -> {
                  start.await();
                  return root.callAdmin(
                          "CreateXksKey",
                          Map.of("KeyStoreName", s.name(), "KeyUsage", List.of("ENCRYPT")))
                      .extract();
                });
        var delete =
            pool.submit(
                () -> {
                  start.await();
                  return root.callAdmin("DeleteXksKeyStore", Map.of("Name", s.name())).extract();
                });
        ExtractableResponse<Response> created =
            create.get(60, java.util.concurrent.TimeUnit.SECONDS);
        ExtractableResponse<Response> deleted =
            delete.get(60, java.util.concurrent.TimeUnit.SECONDS);
        String outcome =
            created.statusCode()
                + "/"
                + created.path("__type")
                + " "
                + deleted.statusCode()
                + "/"
                + deleted.path("__type");
        if (created.statusCode() == 200) {
          assertEquals("200/null 400/ConflictException", outcome);
          root.callAdmin("ListXksKeys", Map.of("KeyStoreName", s.name()))
              .statusCode(200)
              .body("Keys.KeyId", equalTo(List.of((String) created.path("KeyId"))));
        } else {
          assertEquals("400/NotFoundException 200/null", outcome);
          root.callAdmin("ListXksKeys", Map.of("KeyStoreName", s.name()))
              .statusCode(400)
              .body("__type", equalTo("NotFoundException"));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // AWS KMS quotas, "Custom key stores": 10 per account and Region (LimitExceededException).
  // Twelve concurrent creations in a new account: exactly ten stores.
  @Test
  void createXksKeyStore_overTenInAccount_limitExceeded_evenConcurrently_untilOneIsDeleted()
      throws Exception {
    KmsApi account = KmsApi.newAccount();
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    List<String> outcomes = new ArrayList<>();
    try {
      var answers = new ArrayList<java.util.concurrent.Future<ExtractableResponse<Response>>>();
      for (int i = 0; i < 12; i++) {
        String name = "quota-" + i;
        answers.add(
            pool.submit(
                () -> account.callAdmin("CreateXksKeyStore", Map.of("Name", name)).extract()));
      }
      for (var answer : answers) {
        var r = answer.get(60, java.util.concurrent.TimeUnit.SECONDS);
        outcomes.add(
            r.statusCode() == 200
                ? "200"
                : r.statusCode() + " " + r.path("__type") + ": " + r.path("message"));
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(10, outcomes.stream().filter("200"::equals).count(), outcomes.toString());
    assertEquals(
        2,
        outcomes.stream()
            .filter(
                "400 LimitExceededException: Cannot exceed quota for CustomKeyStoresPerAccount: 10"
                    ::equals)
            .count(),
        outcomes.toString());
    List<String> names =
        account
            .callAdmin("ListXksKeyStores", Map.of())
            .statusCode(200)
            .extract()
            .path("KeyStores.Name");
    assertEquals(10, names.size());
    account
        .callAdmin("CreateXksKeyStore", Map.of("Name", "quota-12"))
        .statusCode(400)
        .body("__type", equalTo("LimitExceededException"));
    root.callAdmin("CreateXksKeyStore", Map.of("Name", "quota-12")).statusCode(200); // per account
    account.callAdmin("DeleteXksKeyStore", Map.of("Name", names.get(0))).statusCode(200);
    account.callAdmin("CreateXksKeyStore", Map.of("Name", "quota-12")).statusCode(200);
  }

  @Test
  void rotateCredential_previousStaysUntilNextRotation_revokePreviousEndsAll() {
    Store s = store();
    ExtractableResponse<Response> second =
        root.callAdmin("RotateXksKeyStoreCredential", Map.of("Name", s.name()))
            .statusCode(200)
            .body("PreviousAccessKeyIds", equalTo(List.of(s.client().accessKeyId())))
            .extract();
    XksClient next =
        s.client().signedWith(second.path("AccessKeyId"), second.path("SecretAccessKey"));
    health(s.client()).statusCode(200);
    health(next).statusCode(200);
    ExtractableResponse<Response> third =
        root.callAdmin(
                "RotateXksKeyStoreCredential", Map.of("Name", s.name(), "RevokePrevious", true))
            .statusCode(200)
            .body("PreviousAccessKeyIds", hasSize(0))
            .extract();
    health(s.client()).statusCode(401);
    health(next).statusCode(401);
    health(s.client().signedWith(third.path("AccessKeyId"), third.path("SecretAccessKey")))
        .statusCode(200);
  }

  // --- GetHealthStatus and GetKeyMetadata ------------------------------------------------------

  private static io.restassured.response.ValidatableResponse health(XksClient client) {
    return client.post(
        "health",
        "{\"requestMetadata\":{\"kmsRequestId\":\""
            + UUID.randomUUID()
            + "\",\"kmsOperation\":\"KmsHealthCheck\"}}");
  }

  @Test
  void getHealthStatus_storeCredential_activeFleetOfOne() {
    health(store().client())
        .statusCode(200)
        .contentType(containsString("application/json"))
        .body("xksProxyFleetSize", equalTo(1))
        .body("xksProxyVendor", equalTo("Keyhaven"))
        .body("ekmVendor", equalTo("Keyhaven"))
        .body("ekmFleetDetails", hasSize(1))
        .body("ekmFleetDetails[0].healthStatus", equalTo("ACTIVE"))
        .body("ekmFleetDetails[0].id", not(equalTo("")));
  }

  @Test
  void getKeyMetadata_everyUsageSubset_aes256Enabled() {
    Store s = store();
    for (List<String> usage :
        List.of(
            List.of("ENCRYPT", "DECRYPT"),
            List.of("ENCRYPT"),
            List.of("DECRYPT"),
            List.<String>of())) {
      String keyId = xksKey(s, usage.toArray(String[]::new));
      s.client()
          .post(
              "keys/" + keyId + "/metadata",
              "{\"requestMetadata\":{\"awsPrincipalArn\":\""
                  + ALICE
                  + "\",\"kmsOperation\":\"CreateKey\",\"kmsRequestId\":\"r-1\"}}")
          .statusCode(200)
          .body("keySpec", equalTo("AES_256"))
          .body("keyUsage", equalTo(usage))
          .body("keyStatus", equalTo("ENABLED"));
    }
  }

  // --- Encrypt and Decrypt ---------------------------------------------------------------------

  @Test
  void encryptDecrypt_specExample_roundTripsWithAadAndIntegrityValue() throws Exception {
    Store s = store();
    String keyId = xksKey(s, "ENCRYPT", "DECRYPT");
    ExtractableResponse<Response> sealed =
        s.client()
            .post("keys/" + keyId + "/encrypt", encryptBody(keyId, HELLO, AAD, true))
            .statusCode(200)
            .extract();
    byte[] ciphertext = UNB64.decode(sealed.<String>path("ciphertext"));
    byte[] iv = UNB64.decode(sealed.<String>path("initializationVector"));
    byte[] tag = UNB64.decode(sealed.<String>path("authenticationTag"));
    byte[] meta = UNB64.decode(sealed.<String>path("ciphertextMetadata"));
    // Spec, Encrypt: ciphertext as long as the plaintext, IV 12 (or 16) bytes, tag 16 bytes,
    // metadata at most 20 bytes; Appendix C: SHA-256 over AAD || metadata || IV || ciphertext ||
    // tag.
    assertEquals(12, ciphertext.length);
    assertEquals(12, iv.length);
    assertEquals(16, tag.length);
    assertTrue(meta.length <= 20);
    ByteArrayOutputStream input = new ByteArrayOutputStream();
    for (byte[] part : List.of(UNB64.decode(AAD), meta, iv, ciphertext, tag)) {
      input.writeBytes(part);
    }
    assertArrayEquals(
        MessageDigest.getInstance("SHA-256", "SUN").digest(input.toByteArray()),
        UNB64.decode(sealed.<String>path("ciphertextDataIntegrityValue")));
    s.client()
        .post(
            "keys/" + keyId + "/decrypt",
            decryptBody(
                metadata(keyId),
                sealed.path("ciphertext"),
                sealed.path("ciphertextMetadata"),
                AAD,
                sealed.path("initializationVector"),
                sealed.path("authenticationTag")))
        .statusCode(200)
        .body("plaintext", equalTo(HELLO));
    // Without the algorithm, no integrity value; without AAD, round trip as well.
    ExtractableResponse<Response> plain = encrypt(s, keyId, null);
    assertNull(plain.path("ciphertextDataIntegrityValue"));
    s.client()
        .post(
            "keys/" + keyId + "/decrypt",
            decryptBody(
                metadata(keyId),
                plain.path("ciphertext"),
                plain.path("ciphertextMetadata"),
                null,
                plain.path("initializationVector"),
                plain.path("authenticationTag")))
        .statusCode(200)
        .body("plaintext", equalTo(HELLO));
  }

  @Test
  void decrypt_anythingAltered_invalidCiphertext() {
    Store s = store();
    String keyId = xksKey(s, "ENCRYPT", "DECRYPT");
    ExtractableResponse<Response> e = encrypt(s, keyId, AAD);
    String ct = e.path("ciphertext");
    String meta = e.path("ciphertextMetadata");
    String iv = e.path("initializationVector");
    String tag = e.path("authenticationTag");
    String md = metadata(keyId);
    List<String> altered = new ArrayList<>();
    altered.add(decryptBody(md, ct, meta, "b3RoZXI=", iv, tag)); // another AAD
    altered.add(decryptBody(md, ct, meta, null, iv, tag)); // AAD missing
    altered.add(decryptBody(md, flip(ct), meta, AAD, iv, tag));
    altered.add(decryptBody(md, ct, meta, AAD, flip(iv), tag));
    altered.add(decryptBody(md, ct, meta, AAD, iv, flip(tag)));
    altered.add(decryptBody(md, ct, flip(meta), AAD, iv, tag));
    altered.add(decryptBody(md, ct, null, AAD, iv, tag)); // metadata missing
    // Spec, Encrypt ciphertextMetadata NOTE: metadata moved into the AAD must not decrypt.
    altered.add(
        decryptBody(
            md,
            ct,
            null,
            B64.encodeToString(concat(UNB64.decode(AAD), UNB64.decode(meta))),
            iv,
            tag));
    altered.add(
        decryptBody(md, ct, meta, AAD, B64.encodeToString(new byte[16]), tag)); // a 16-byte IV
    for (String body : altered) {
      s.client()
          .post("keys/" + keyId + "/decrypt", body)
          .statusCode(400)
          .body("errorName", equalTo("InvalidCiphertextException"));
    }
  }

  @Test
  void encryptDecrypt_malformedMembers_validationOrUnsupported() {
    Store s = store();
    String keyId = xksKey(s, "ENCRYPT", "DECRYPT");
    String path = "keys/" + keyId;
    String md = metadata(keyId);
    String twelve = B64.encodeToString(new byte[12]);
    String sixteen = B64.encodeToString(new byte[16]);
    Map<String, String> validation =
        Map.of(
            "no metadata", "{\"plaintext\":\"" + HELLO + "\",\"encryptionAlgorithm\":\"AES_GCM\"}",
            "no kmsRequestId",
                "{\"requestMetadata\":{\"awsPrincipalArn\":\""
                    + ALICE
                    + "\",\"kmsKeyArn\":\"k\",\"kmsOperation\":\"Encrypt\"},\"plaintext\":\""
                    + HELLO
                    + "\",\"encryptionAlgorithm\":\"AES_GCM\"}",
            "no plaintext", "{\"requestMetadata\":" + md + ",\"encryptionAlgorithm\":\"AES_GCM\"}",
            "AES_CBC",
                "{\"requestMetadata\":"
                    + md
                    + ",\"plaintext\":\""
                    + HELLO
                    + "\",\"encryptionAlgorithm\":\"AES_CBC\"}",
            "MD5 integrity",
                "{\"requestMetadata\":"
                    + md
                    + ",\"plaintext\":\""
                    + HELLO
                    + "\",\"encryptionAlgorithm\":\"AES_GCM\",\"ciphertextDataIntegrityValueAlgorithm\":\"MD5\"}",
            "not base64",
                "{\"requestMetadata\":"
                    + md
                    + ",\"plaintext\":\"***\",\"encryptionAlgorithm\":\"AES_GCM\"}",
            "not JSON", "{\"requestMetadata\":",
            "an array", "[]");
    validation.forEach(
        (what, body) ->
            s.client()
                .post(path + "/encrypt", body)
                .statusCode(400)
                .body("errorName", equalTo("ValidationException")));
    for (String body :
        List.of(
            decryptBody(md, HELLO, null, null, B64.encodeToString(new byte[13]), sixteen),
            decryptBody(md, HELLO, null, null, twelve, B64.encodeToString(new byte[15])),
            decryptBody(md, HELLO, B64.encodeToString(new byte[21]), null, twelve, sixteen))) {
      s.client()
          .post(path + "/decrypt", body)
          .statusCode(400)
          .body("errorName", equalTo("ValidationException"));
    }
    // Spec: a proxy must accept 4300 bytes of plaintext and 8192 of AAD; more is
    // UnsupportedOperationException (501).
    String max = B64.encodeToString(new byte[4300]);
    s.client()
        .post(path + "/encrypt", encryptBody(keyId, max, B64.encodeToString(new byte[8192]), true))
        .statusCode(200);
    xks(
        s.client()
            .post(
                path + "/encrypt",
                encryptBody(keyId, B64.encodeToString(new byte[4301]), null, false)),
        501,
        "UnsupportedOperationException");
    xks(
        s.client()
            .post(
                path + "/encrypt",
                encryptBody(keyId, HELLO, B64.encodeToString(new byte[8193]), false)),
        501,
        "UnsupportedOperationException");
  }

  private static void xks(
      io.restassured.response.ValidatableResponse answer, int status, String errorName) {
    answer
        .statusCode(status)
        .contentType(containsString("application/json"))
        .body("errorName", equalTo(errorName));
  }

  @Test
  void keyUsage_restrictsEncryptAndDecrypt_impotentKeyDoesNeither() {
    Store s = store();
    String both = xksKey(s, "ENCRYPT", "DECRYPT");
    ExtractableResponse<Response> e = encrypt(s, both, null);
    String encryptOnly = xksKey(s, "ENCRYPT");
    String decryptOnly = xksKey(s, "DECRYPT");
    String impotent = xksKey(s);
    String twelve = e.path("initializationVector");
    encrypt(s, encryptOnly, null);
    for (String keyId : List.of(encryptOnly, impotent)) {
      xks(
          s.client()
              .post(
                  "keys/" + keyId + "/decrypt",
                  decryptBody(
                      metadata(keyId),
                      e.path("ciphertext"),
                      e.path("ciphertextMetadata"),
                      null,
                      twelve,
                      e.path("authenticationTag"))),
          400,
          "InvalidKeyUsageException");
    }
    for (String keyId : List.of(decryptOnly, impotent)) {
      xks(
          s.client().post("keys/" + keyId + "/encrypt", encryptBody(keyId, HELLO, null, false)),
          400,
          "InvalidKeyUsageException");
    }
    // Decrypt-only may decrypt: another key's ciphertext is merely invalid for it.
    xks(
        s.client()
            .post(
                "keys/" + decryptOnly + "/decrypt",
                decryptBody(
                    metadata(decryptOnly),
                    e.path("ciphertext"),
                    e.path("ciphertextMetadata"),
                    null,
                    twelve,
                    e.path("authenticationTag"))),
        400,
        "InvalidCiphertextException");
  }

  @Test
  void disabledKey_invalidState_metadataDisabled_enabledAgainWorks() {
    Store s = store();
    String keyId = xksKey(s, "ENCRYPT", "DECRYPT");
    ExtractableResponse<Response> e = encrypt(s, keyId, null);
    root.call("DisableKey", Map.of("KeyId", keyId)).statusCode(200);
    xks(
        s.client().post("keys/" + keyId + "/encrypt", encryptBody(keyId, HELLO, null, false)),
        400,
        "InvalidStateException");
    xks(
        s.client()
            .post(
                "keys/" + keyId + "/decrypt",
                decryptBody(
                    metadata(keyId),
                    e.path("ciphertext"),
                    e.path("ciphertextMetadata"),
                    null,
                    e.path("initializationVector"),
                    e.path("authenticationTag"))),
        400,
        "InvalidStateException");
    s.client()
        .post("keys/" + keyId + "/metadata", "{\"requestMetadata\":" + metadata(keyId) + "}")
        .statusCode(200)
        .body("keyStatus", equalTo("DISABLED"));
    root.call("EnableKey", Map.of("KeyId", keyId)).statusCode(200);
    encrypt(s, keyId, null);
  }

  @Test
  void rotatedKey_oldCiphertextStillDecrypts() {
    Store s = store();
    String keyId = xksKey(s, "ENCRYPT", "DECRYPT");
    ExtractableResponse<Response> before = encrypt(s, keyId, AAD);
    root.call("RotateKeyOnDemand", Map.of("KeyId", keyId)).statusCode(200);
    ExtractableResponse<Response> after = encrypt(s, keyId, AAD);
    assertFalse(before.<String>path("ciphertextMetadata").equals(after.path("ciphertextMetadata")));
    for (ExtractableResponse<Response> e : List.of(before, after)) {
      s.client()
          .post(
              "keys/" + keyId + "/decrypt",
              decryptBody(
                  metadata(keyId),
                  e.path("ciphertext"),
                  e.path("ciphertextMetadata"),
                  AAD,
                  e.path("initializationVector"),
                  e.path("authenticationTag")))
          .statusCode(200)
          .body("plaintext", equalTo(HELLO));
    }
  }

  @Test
  void keysOutsideTheStore_keyNotFound_unknownPaths_invalidUriPath_get_405() {
    Store s = store();
    Store other = store();
    String otherKey = xksKey(other, "ENCRYPT", "DECRYPT");
    String plainKey = root.createKey();
    for (String keyId :
        List.of(UUID.randomUUID().toString(), otherKey, plainKey, "not-a-key_1.0")) {
      xks(
          s.client().post("keys/" + keyId + "/encrypt", encryptBody(keyId, HELLO, null, false)),
          404,
          "KeyNotFoundException");
      xks(
          s.client()
              .post("keys/" + keyId + "/metadata", "{\"requestMetadata\":" + metadata(keyId) + "}"),
          404,
          "KeyNotFoundException");
    }
    String keyId = xksKey(s, "ENCRYPT");
    xks(s.client().post("keys/" + keyId + "/sign", "{}"), 404, "InvalidUriPathException");
    xks(s.client().post("keys", "{}"), 404, "InvalidUriPathException");
    xks(s.client().post("status", "{}"), 404, "InvalidUriPathException");
    // Spec, "API operations": GET at an API's URI is 405 Method Not Allowed.
    RestAssured.given().get(s.client().uriPrefix() + "/kms/xks/v1/health").then().statusCode(405);
  }

  // --- Authentication --------------------------------------------------------------------------

  @Test
  void sigV4_onlyThisStoresCredentialInScope_everythingElseAuthenticationFailed() {
    Store s = store();
    Store other = store();
    String[] normal = accessKey("arn:aws:iam::" + root.accountId() + ":root");
    List<XksClient> refused =
        List.of(
            s.client().scope("us-east-1", "kms"), // wrong service
            s.client().scope("eu-west-1", "kms-xks-proxy"), // wrong region
            other.client().prefix(s.client().uriPrefix()), // another store's credential
            s.client().prefix("/keystores/" + UUID.randomUUID()), // no such store
            s.client().signedWith(normal[0], normal[1]), // a normal Keyhaven access key
            s.client().signedWith(s.client().accessKeyId(), "wrong" + s.client().secret()),
            s.client().at(Instant.now().minus(Duration.ofMinutes(6))), // spec: 5 minutes
            s.client().at(Instant.now().plus(Duration.ofMinutes(6))));
    for (XksClient client : refused) {
      xks(health(client), 401, "AuthenticationFailedException");
    }
    RestAssured.given()
        .header("Authorization", "Bearer " + root.token())
        .contentType("application/json")
        .body("{}")
        .post(s.client().uriPrefix() + "/kms/xks/v1/health")
        .then()
        .statusCode(401)
        .body("errorName", equalTo("AuthenticationFailedException"));
    RestAssured.given()
        .contentType("application/json")
        .body("{}")
        .post(s.client().uriPrefix() + "/kms/xks/v1/health")
        .then()
        .statusCode(401);
    health(s.client().at(Instant.now().minus(Duration.ofMinutes(4)))).statusCode(200);
    health(s.client().scope("us-east-1", "kms-xks")).statusCode(200);
  }

  @Test
  void storeCredential_onTheKmsEndpoint_refused() {
    Store s = store();
    String keyId = root.createKey();
    s.client()
        .scope("us-east-1", "kms")
        .kms("Encrypt", "{\"KeyId\":\"" + keyId + "\",\"Plaintext\":\"AQ==\"}")
        .statusCode(400)
        .body("__type", equalTo("UnrecognizedClientException"));
    root.callAdmin(
            "CreateAccessKey",
            Map.of(
                "PrincipalArn",
                "arn:aws:iam::" + root.accountId() + ":user/keyhaven-xks/" + s.name()))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
  }

  private String[] accessKey(String principal) {
    ExtractableResponse<Response> answer =
        root.callAdmin("CreateAccessKey", Map.of("PrincipalArn", principal))
            .statusCode(200)
            .extract();
    return new String[] {
      answer.path("AccessKey.AccessKeyId"), answer.path("AccessKey.SecretAccessKey")
    };
  }

  // --- Authorization and audit -----------------------------------------------------------------

  @Test
  void keyPolicy_conditionsOnRequestMetadata_allowOrDeny() {
    Store s = store();
    String keyId = xksKey(s, "ENCRYPT", "DECRYPT");
    String storePrincipal = "arn:aws:iam::" + root.accountId() + ":user/keyhaven-xks/" + s.name();
    root.call(
            "PutKeyPolicy",
            Map.of(
                "KeyId",
                keyId,
                "PolicyName",
                "default",
                "Policy",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
                    + root.accountId()
                    + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
                    + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
                    + storePrincipal
                    + "\"},"
                    + "\"Action\":\"xks:*\",\"Resource\":\"*\",\"Condition\":{\"StringEquals\":"
                    + "{\"xks:AwsPrincipalArn\":\""
                    + ALICE
                    + "\",\"xks:KmsViaService\":\"ebs\"}}}]}"))
        .statusCode(200);
    encrypt(s, keyId, null);
    String bob =
        encryptBody(keyId, HELLO, null, false).replace(ALICE, "arn:aws:iam::123456789012:user/Bob");
    xks(s.client().post("keys/" + keyId + "/encrypt", bob), 403, "AccessDeniedException");
    String direct =
        encryptBody(keyId, HELLO, null, false).replace(",\"kmsViaService\":\"ebs\"", "");
    xks(s.client().post("keys/" + keyId + "/encrypt", direct), 403, "AccessDeniedException");
    // Health is never subject to key policies (spec, GetHealthStatus).
    health(s.client()).statusCode(200);
  }

  @Test
  void everyCall_audited_withRequestMetadata_neverThePlaintext() {
    Store s = store();
    String keyId = xksKey(s, "ENCRYPT");
    String kmsRequestId = UUID.randomUUID().toString();
    String body =
        encryptBody(keyId, HELLO, AAD, false)
            .replaceFirst(
                "\"kmsRequestId\":\"[^\"]+\"", "\"kmsRequestId\":\"" + kmsRequestId + "\"");
    s.client().post("keys/" + keyId + "/encrypt", body).statusCode(200);
    xks(
        s.client()
            .post(
                "keys/" + keyId + "/decrypt",
                decryptBody(
                    metadata(keyId),
                    HELLO,
                    null,
                    null,
                    B64.encodeToString(new byte[12]),
                    B64.encodeToString(new byte[16]))),
        400,
        "InvalidKeyUsageException");
    String event =
        root.callAdmin("LookupEvents", Map.of("KeyId", keyId, "EventName", "XksProxy.Encrypt"))
            .statusCode(200)
            .body("Events", hasSize(1))
            .body(
                "Events[0].Username",
                equalTo("arn:aws:iam::" + root.accountId() + ":user/keyhaven-xks/" + s.name()))
            .extract()
            .path("Events[0].CloudTrailEvent");
    assertTrue(event.contains("\"kmsRequestId\":\"" + kmsRequestId + "\""), event);
    assertTrue(event.contains("\"awsPrincipalArn\":\"" + ALICE + "\""), event);
    assertTrue(event.contains("\"kmsViaService\":\"ebs\""), event);
    assertTrue(event.contains("\"externalKeyId\":\"" + keyId + "\""), event);
    assertFalse(event.contains(HELLO) || event.contains(AAD), event);
    root.callAdmin("LookupEvents", Map.of("KeyId", keyId, "EventName", "XksProxy.Decrypt"))
        .statusCode(200)
        .body("Events", hasSize(1))
        .body(
            "Events[0].CloudTrailEvent",
            containsString("\"errorCode\":\"InvalidKeyUsageException\""));
    // An XKS Encrypt is not the key's use by AWS KMS Encrypt (GetKeyLastUsage counts KMS calls).
    root.callAdmin("LookupEvents", Map.of("KeyId", keyId, "EventName", "Encrypt"))
        .statusCode(200)
        .body("Events", hasSize(0));
  }

  private static String flip(String base64) {
    byte[] bytes = UNB64.decode(base64);
    bytes[0] ^= 1;
    return B64.encodeToString(bytes);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
