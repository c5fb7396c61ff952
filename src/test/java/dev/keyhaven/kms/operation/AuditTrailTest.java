package dev.keyhaven.kms.operation;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.support.KmsApi;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The audit trail seen from outside (docs/audit.md): one durable event per request whatever its
 * outcome, in CloudTrail's shape, without secrets; fail closed when the trail cannot be written;
 * LookupEvents and VerifyAuditTrail.
 */
@QuarkusTest
class AuditTrailTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Inject Pool pool;

  private record Stored(String eventName, String errorCode, String json) {}

  /** The events stored for a request id, read right after its response. */
  private List<Stored> eventsOf(String requestId) {
    List<Stored> out = new ArrayList<>();
    for (Row row :
        pool.preparedQuery(
                "SELECT event_name, error_code, event_json FROM audit_event WHERE request_id = $1")
            .execute(Tuple.of(requestId))
            .await()
            .indefinitely()) {
      out.add(new Stored(row.getString(0), row.getString(1), row.getString(2)));
    }
    return out;
  }

  private void expectOneEvent(
      Supplier<ExtractableResponse<Response>> request, String eventName, String errorCode) {
    ExtractableResponse<Response> response = request.get();
    String requestId = response.header("x-amzn-RequestId");
    assertNotNull(requestId);
    List<Stored> events = eventsOf(requestId);
    assertEquals(1, events.size(), eventName + " " + requestId);
    assertEquals(eventName, events.get(0).eventName());
    assertEquals(errorCode, events.get(0).errorCode(), events.get(0).json());
    if (errorCode == null) {
      assertEquals(200, response.statusCode());
    } else {
      assertEquals(errorCode, response.path("__type"));
    }
    assertTrue(events.get(0).json().contains("\"requestID\":\"" + requestId + "\""));
  }

  @Test
  void everyRequest_leavesExactlyOneDurableEvent_whateverItsOutcome() {
    KmsApi root = KmsApi.newAccount();
    KmsApi stranger = root.as("arn:aws:iam::" + root.accountId() + ":role/Stranger");
    String keyId = root.createKey();
    byte[] plaintext = new byte[32];
    RANDOM.nextBytes(plaintext);
    String blob =
        root.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", KmsApi.b64(plaintext)))
            .statusCode(200)
            .extract()
            .path("CiphertextBlob");

    expectOneEvent(
        () -> root.call("CreateKey", Map.of("Description", "audited")).extract(),
        "CreateKey",
        null);
    expectOneEvent(
        () ->
            root.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", KmsApi.b64(plaintext)))
                .extract(),
        "Encrypt",
        null);
    expectOneEvent(
        () -> root.call("Decrypt", Map.of("CiphertextBlob", blob)).extract(), "Decrypt", null);
    expectOneEvent(
        () -> root.call("GenerateDataKey", Map.of("KeyId", keyId, "KeySpec", "AES_256")).extract(),
        "GenerateDataKey",
        null);
    expectOneEvent(
        () -> root.call("DescribeKey", Map.of("KeyId", "alias/missing")).extract(),
        "DescribeKey",
        "NotFoundException");
    expectOneEvent(
        () ->
            root.call(
                    "Encrypt",
                    Map.of("KeyId", keyId, "Plaintext", "", "EncryptionAlgorithm", "AES"))
                .extract(),
        "Encrypt",
        "ValidationException");
    // A member value longer than any AWS member is refused while the body is read (scenario 6).
    expectOneEvent(
        () ->
            root.callRaw(
                    "Encrypt",
                    "{\"KeyId\":\"" + "k".repeat(1_000_000) + "\",\"Plaintext\":\"AA==\"}")
                .statusCode(400)
                .extract(),
        "Encrypt",
        "ValidationException");
    expectOneEvent(
        () ->
            stranger
                .call(
                    "Encrypt",
                    Map.of("KeyId", root.arnOf(keyId), "Plaintext", KmsApi.b64(plaintext)))
                .extract(),
        "Encrypt",
        "AccessDeniedException");
    expectOneEvent(
        () ->
            KmsApi.request()
                .header("X-Amz-Target", "TrentService.ListKeys")
                .contentType(KmsApi.CONTENT_TYPE)
                .body("{}")
                .post("/")
                .then()
                .extract(),
        "ListKeys",
        "MissingAuthenticationTokenException");
    expectOneEvent(
        () ->
            KmsApi.request()
                .header("Authorization", "Bearer not.a.token")
                .header("X-Amz-Target", "TrentService.ListKeys")
                .contentType(KmsApi.CONTENT_TYPE)
                .body("{}")
                .post("/")
                .then()
                .extract(),
        "ListKeys",
        "UnrecognizedClientException");
    expectOneEvent(
        () -> root.call("NoSuchOperation", Map.of()).extract(),
        "NoSuchOperation",
        "UnknownOperationException");
    expectOneEvent(
        () -> root.callRaw("ListKeys", "{not json").extract(),
        "ListKeys",
        "SerializationException");
    expectOneEvent(
        () ->
            root.call(
                    "Encrypt",
                    Map.of("KeyId", keyId, "Plaintext", KmsApi.b64(plaintext), "DryRun", true))
                .extract(),
        "Encrypt",
        "DryRunOperationException");
    expectOneEvent(
        () -> root.call("DisableKey", Map.of("KeyId", keyId)).extract(), "DisableKey", null);
    expectOneEvent(
        () ->
            root.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", KmsApi.b64(plaintext)))
                .extract(),
        "Encrypt",
        "DisabledException");
    expectOneEvent(
        () -> root.call("EnableKey", Map.of("KeyId", keyId)).extract(), "EnableKey", null);
    expectOneEvent(
        () ->
            root.call("CreateAlias", Map.of("AliasName", "alias/audited", "TargetKeyId", keyId))
                .extract(),
        "CreateAlias",
        null);
    expectOneEvent(
        () ->
            root.call("CreateAlias", Map.of("AliasName", "alias/audited", "TargetKeyId", keyId))
                .extract(),
        "CreateAlias",
        "AlreadyExistsException");
    expectOneEvent(
        () ->
            root.callAdmin("CreateAccessKey", Map.of("PrincipalArn", root.principalArn()))
                .extract(),
        "CreateAccessKey",
        null);
    expectOneEvent(
        () -> root.callAdmin("LookupEvents", Map.of("MaxResults", 5)).extract(),
        "LookupEvents",
        null);
    expectOneEvent(
        () -> stranger.callAdmin("LookupEvents", Map.of()).extract(),
        "LookupEvents",
        "AccessDeniedException");
  }

  @Test
  void events_haveCloudTrailShape_andNameTheResolvedKey() {
    KmsApi root = KmsApi.newAccount();
    String keyId = root.createKey();
    root.call("CreateAlias", Map.of("AliasName", "alias/shape", "TargetKeyId", keyId))
        .statusCode(200);
    String requestId =
        root.call(
                "Encrypt",
                Map.of(
                    "KeyId",
                    "alias/shape",
                    "Plaintext",
                    KmsApi.b64(new byte[] {1, 2, 3}),
                    "EncryptionContext",
                    Map.of("purpose", "shape")))
            .statusCode(200)
            .extract()
            .header("x-amzn-RequestId");
    String json = eventsOf(requestId).get(0).json();
    String arn = root.arnOf(keyId);
    for (String member :
        List.of(
            "\"eventVersion\":\"1.08\"",
            "\"eventSource\":\"kms.amazonaws.com\"",
            "\"eventName\":\"Encrypt\"",
            "\"awsRegion\":\"us-east-1\"",
            "\"sourceIPAddress\":\"127.0.0.1\"",
            "\"type\":\"Root\"",
            "\"arn\":\"" + root.principalArn() + "\"",
            "\"requestParameters\":{\"encryptionContext\":{\"purpose\":\"shape\"},\"keyId\":\"alias/shape\"}",
            "\"responseElements\":null",
            "\"readOnly\":true",
            "\"resources\":[{\"accountId\":\""
                + root.accountId()
                + "\",\"type\":\"AWS::KMS::Key\",\"ARN\":\""
                + arn
                + "\"}]",
            "\"eventType\":\"AwsApiCall\"",
            "\"managementEvent\":true",
            "\"recipientAccountId\":\"" + root.accountId() + "\"",
            "\"eventCategory\":\"Management\"",
            "\"federatedProvider\":")) {
      assertTrue(json.contains(member), member + " in " + json);
    }
    String grant = grantToApp(root, keyId, "Encrypt").header("x-amzn-RequestId");
    String grantEvent = eventsOf(grant).get(0).json();
    assertTrue(grantEvent.contains("\"responseElements\":{\"grantId\":"), grantEvent);
    assertFalse(grantEvent.contains("grantToken"), grantEvent);
    assertTrue(grantEvent.contains("\"readOnly\":false"), grantEvent);
  }

  @Test
  void events_neverHoldPlaintextsDataKeysCiphertextsOrSecrets() {
    KmsApi root = KmsApi.newAccount();
    String keyId = root.createKey();
    List<byte[]> secrets = new ArrayList<>();
    byte[] plaintext = new byte[48];
    RANDOM.nextBytes(plaintext);
    secrets.add(plaintext);
    String blob =
        root.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", KmsApi.b64(plaintext)))
            .statusCode(200)
            .extract()
            .path("CiphertextBlob");
    secrets.add(KmsApi.unb64(blob));
    root.call("Decrypt", Map.of("CiphertextBlob", blob)).statusCode(200);
    var dataKey =
        root.call("GenerateDataKey", Map.of("KeyId", keyId, "KeySpec", "AES_256"))
            .statusCode(200)
            .extract();
    secrets.add(KmsApi.unb64(dataKey.path("Plaintext")));
    secrets.add(KmsApi.unb64(dataKey.path("CiphertextBlob")));
    secrets.add(
        KmsApi.unb64(
            root.call("GenerateRandom", Map.of("NumberOfBytes", 64))
                .statusCode(200)
                .extract()
                .path("Plaintext")));
    String secretKey =
        root.callAdmin("CreateAccessKey", Map.of("PrincipalArn", root.principalArn()))
            .statusCode(200)
            .extract()
            .path("AccessKey.SecretAccessKey");
    String grantToken = grantToApp(root, keyId, "Decrypt").path("GrantToken");
    root.call("Decrypt", Map.of("CiphertextBlob", blob, "GrantTokens", List.of(grantToken)))
        .statusCode(200);

    List<String> forbidden = new ArrayList<>(List.of(secretKey, grantToken, root.token()));
    for (byte[] secret : secrets) {
      forbidden.add(KmsApi.b64(secret));
      forbidden.add(HexFormat.of().formatHex(secret));
    }
    StringBuilder all = new StringBuilder();
    pool.preparedQuery("SELECT event_json FROM audit_event WHERE account_id = $1")
        .execute(Tuple.of(root.accountId()))
        .await()
        .indefinitely()
        .forEach(r -> all.append(r.getString(0)).append('\n'));
    assertTrue(all.length() > 0);
    for (String value : forbidden) {
      assertFalse(all.toString().contains(value), "a secret value appears in the audit trail");
    }
  }

  // The trail drops every binary member by type: messages, signatures, MACs, RSA plaintexts and
  // ciphertexts, shared secrets, data key pairs and peer public keys never appear in it.
  @Test
  void events_ofAsymmetricHmacAndKeyAgreementOperations_holdNoBinaryValue() throws Exception {
    KmsApi root = KmsApi.newAccount();
    List<byte[]> secrets = new ArrayList<>();
    byte[] message = new byte[40];
    RANDOM.nextBytes(message);
    secrets.add(message);
    String hmac = root.createKey("HMAC_256", "GENERATE_VERIFY_MAC");
    String mac =
        root.call(
                "GenerateMac",
                Map.of(
                    "KeyId", hmac, "MacAlgorithm", "HMAC_SHA_256", "Message", KmsApi.b64(message)))
            .statusCode(200)
            .extract()
            .path("Mac");
    secrets.add(KmsApi.unb64(mac));
    root.call(
            "VerifyMac",
            Map.of(
                "KeyId",
                hmac,
                "MacAlgorithm",
                "HMAC_SHA_256",
                "Message",
                KmsApi.b64(message),
                "Mac",
                mac))
        .statusCode(200);
    String signing = root.createKey("ECC_NIST_P256", "SIGN_VERIFY");
    String signature =
        root.call(
                "Sign",
                Map.of(
                    "KeyId",
                    signing,
                    "SigningAlgorithm",
                    "ECDSA_SHA_256",
                    "Message",
                    KmsApi.b64(message)))
            .statusCode(200)
            .extract()
            .path("Signature");
    secrets.add(KmsApi.unb64(signature));
    String rsa = root.createKey("RSA_2048", "ENCRYPT_DECRYPT");
    String rsaBlob =
        root.call(
                "Encrypt",
                Map.of(
                    "KeyId",
                    rsa,
                    "Plaintext",
                    KmsApi.b64(message),
                    "EncryptionAlgorithm",
                    "RSAES_OAEP_SHA_256"))
            .statusCode(200)
            .extract()
            .path("CiphertextBlob");
    secrets.add(KmsApi.unb64(rsaBlob));
    root.call(
            "Decrypt",
            Map.of(
                "KeyId",
                rsa,
                "CiphertextBlob",
                rsaBlob,
                "EncryptionAlgorithm",
                "RSAES_OAEP_SHA_256"))
        .statusCode(200);
    String agreement = root.createKey("ECC_NIST_P384", "KEY_AGREEMENT");
    java.security.KeyPairGenerator generator =
        java.security.KeyPairGenerator.getInstance("EC", "SunEC");
    generator.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
    byte[] peer = generator.generateKeyPair().getPublic().getEncoded();
    secrets.add(
        KmsApi.unb64(
            root.call(
                    "DeriveSharedSecret",
                    Map.of(
                        "KeyId",
                        agreement,
                        "KeyAgreementAlgorithm",
                        "ECDH",
                        "PublicKey",
                        KmsApi.b64(peer)))
                .statusCode(200)
                .extract()
                .path("SharedSecret")));
    var pair =
        root.call(
                "GenerateDataKeyPair",
                Map.of("KeyId", root.createKey(), "KeyPairSpec", "ECC_NIST_P256"))
            .statusCode(200)
            .extract();
    secrets.add(KmsApi.unb64(pair.path("PrivateKeyPlaintext")));
    secrets.add(KmsApi.unb64(pair.path("PrivateKeyCiphertextBlob")));
    StringBuilder all = new StringBuilder();
    pool.preparedQuery("SELECT event_json FROM audit_event WHERE account_id = $1")
        .execute(Tuple.of(root.accountId()))
        .await()
        .indefinitely()
        .forEach(r -> all.append(r.getString(0)).append('\n'));
    assertTrue(
        all.toString().contains("\"signingAlgorithm\":\"ECDSA_SHA_256\""),
        "Sign's parameters are recorded");
    for (byte[] secret : secrets) {
      assertFalse(
          all.toString().contains(KmsApi.b64(secret)), "a binary value appears in the audit trail");
      assertFalse(
          all.toString().contains(HexFormat.of().formatHex(secret)),
          "a binary value appears in hex");
    }
  }

  @Test
  void auditTableUnwritable_failsClosed_noSuccessAndNoStateChange() {
    KmsApi root = KmsApi.newAccount();
    String keyId = root.createKey();
    long keysBefore = count("SELECT count(*) FROM kms_key WHERE account_id = $1", root.accountId());
    long eventsBefore =
        count("SELECT count(*) FROM audit_event WHERE account_id = $1", root.accountId());
    pool.query(
            "CREATE OR REPLACE FUNCTION keyhaven_test_refuse_audit() RETURNS trigger LANGUAGE plpgsql"
                + " AS $$ BEGIN RAISE EXCEPTION 'audit table unwritable (test)'; END $$")
        .execute()
        .await()
        .indefinitely();
    pool.query(
            "CREATE TRIGGER keyhaven_test_refuse_audit BEFORE INSERT ON audit_event"
                + " FOR EACH ROW EXECUTE FUNCTION keyhaven_test_refuse_audit()")
        .execute()
        .await()
        .indefinitely();
    List<Integer> statuses = new ArrayList<>();
    try {
      List<Supplier<ExtractableResponse<Response>>> requests =
          List.of(
              () -> root.call("CreateKey", Map.of()).extract(),
              () -> root.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "AQID")).extract(),
              () ->
                  root.call("GenerateDataKey", Map.of("KeyId", keyId, "KeySpec", "AES_256"))
                      .extract(),
              () -> root.call("DisableKey", Map.of("KeyId", keyId)).extract(),
              () ->
                  root.call(
                          "CreateAlias", Map.of("AliasName", "alias/closed", "TargetKeyId", keyId))
                      .extract(),
              () ->
                  root.call(
                          "TagResource",
                          Map.of(
                              "KeyId",
                              keyId,
                              "Tags",
                              List.of(Map.of("TagKey", "k", "TagValue", "v"))))
                      .extract(),
              () ->
                  root.call("ScheduleKeyDeletion", Map.of("KeyId", keyId, "PendingWindowInDays", 7))
                      .extract(),
              () -> root.call("DescribeKey", Map.of("KeyId", "alias/missing")).extract(),
              () ->
                  root.callAdmin("CreateAccessKey", Map.of("PrincipalArn", root.principalArn()))
                      .extract());
      for (var request : requests) {
        ExtractableResponse<Response> response = request.get();
        statuses.add(response.statusCode());
        assertEquals("KMSInternalException", response.path("__type"), response.asString());
        assertFalse(response.asString().contains("unwritable"), "no internal detail leaks");
      }
    } finally {
      pool.query("DROP TRIGGER keyhaven_test_refuse_audit ON audit_event")
          .execute()
          .await()
          .indefinitely();
    }
    assertEquals(List.of(500, 500, 500, 500, 500, 500, 500, 500, 500), statuses);
    assertEquals(
        keysBefore, count("SELECT count(*) FROM kms_key WHERE account_id = $1", root.accountId()));
    assertEquals(
        eventsBefore,
        count("SELECT count(*) FROM audit_event WHERE account_id = $1", root.accountId()));
    assertEquals(
        0, count("SELECT count(*) FROM kms_alias WHERE account_id = $1", root.accountId()));
    assertEquals(
        0, count("SELECT count(*) FROM access_key WHERE account_id = $1", root.accountId()));
    root.call("DescribeKey", Map.of("KeyId", keyId))
        .statusCode(200)
        .body("KeyMetadata.KeyState", equalTo("Enabled"))
        .body("KeyMetadata.DeletionDate", equalTo(null));
    root.call("ListResourceTags", Map.of("KeyId", keyId)).statusCode(200).body("Tags", hasSize(0));
    KmsApi.operator()
        .callAdmin("VerifyAuditTrail", Map.of())
        .statusCode(200)
        .body("Valid", equalTo(true));
  }

  @Test
  void lookupEvents_filtersPagesAndStaysWithinTheAccount() {
    KmsApi root = KmsApi.newAccount();
    KmsApi other = KmsApi.newAccount();
    String keyId = root.createKey();
    String otherKey = root.createKey();
    for (int i = 0; i < 3; i++) {
      root.call("Encrypt", Map.of("KeyId", keyId, "Plaintext", "AQID")).statusCode(200);
    }
    root.call("Encrypt", Map.of("KeyId", otherKey, "Plaintext", "AQID")).statusCode(200);
    root.call("DescribeKey", Map.of("KeyId", "alias/nope")).statusCode(400);
    other.createKey();

    var page1 =
        root.callAdmin(
                "LookupEvents", Map.of("KeyId", keyId, "EventName", "Encrypt", "MaxResults", 2))
            .statusCode(200)
            .body("Events", hasSize(2))
            .body("Events[0].EventName", equalTo("Encrypt"))
            .body("Events[0].EventSource", equalTo("kms.amazonaws.com"))
            .body("Events[0].Username", equalTo(root.principalArn()))
            .extract();
    String token = page1.path("NextToken");
    assertNotNull(token);
    var page2 =
        root.callAdmin(
                "LookupEvents",
                Map.of(
                    "KeyId",
                    root.arnOf(keyId),
                    "EventName",
                    "Encrypt",
                    "MaxResults",
                    2,
                    "NextToken",
                    token))
            .statusCode(200)
            .body("Events", hasSize(1))
            .extract();
    assertNull(page2.path("NextToken"));
    String event = page1.path("Events[0].CloudTrailEvent");
    assertTrue(event.contains("\"ARN\":\"" + root.arnOf(keyId) + "\""), event);

    root.callAdmin("LookupEvents", Map.of("ErrorsOnly", true))
        .statusCode(200)
        .body("Events", hasSize(1))
        .body("Events[0].EventName", equalTo("DescribeKey"));
    double now = System.currentTimeMillis() / 1000.0;
    root.callAdmin("LookupEvents", Map.of("StartTime", now + 3600))
        .statusCode(200)
        .body("Events", hasSize(0));
    // The other account sees none of these: only its own CreateKey.
    other
        .callAdmin("LookupEvents", Map.of())
        .statusCode(200)
        .body("Events", hasSize(1))
        .body("Events[0].EventName", equalTo("CreateKey"));
    root.callAdmin("LookupEvents", Map.of("NextToken", "garbage!"))
        .statusCode(400)
        .body("__type", equalTo("InvalidMarkerException"));
    root.callAdmin("LookupEvents", Map.of("MaxResults", 51))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
  }

  @Test
  void lookupEvents_keyOwnerSeesOthersUseOfItsKeys_pagedInOneOrderWithItsOwn() {
    KmsApi owner = KmsApi.newAccount();
    KmsApi user = KmsApi.newAccount();
    String policy =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
            + owner.accountId()
            + ":root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Effect\":\"Allow\","
            + "\"Principal\":{\"AWS\":\""
            + user.accountId()
            + "\"},\"Action\":\"kms:Encrypt\",\"Resource\":\"*\"}]}";
    String keyArn =
        owner
            .call("CreateKey", Map.of("Policy", policy))
            .statusCode(200)
            .extract()
            .path("KeyMetadata.Arn");
    for (int i = 0; i < 3; i++) {
      user.call("Encrypt", Map.of("KeyId", keyArn, "Plaintext", "AQID")).statusCode(200);
      owner.call("Encrypt", Map.of("KeyId", keyArn, "Plaintext", "AQID")).statusCode(200);
    }
    // The owner's Encrypt events: its own three and the user's three, newest first, two per page.
    List<String> usernames = new ArrayList<>();
    List<String> times = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      Map<String, Object> request =
          new java.util.HashMap<>(Map.of("EventName", "Encrypt", "MaxResults", 2));
      if (token != null) {
        request.put("NextToken", token);
      }
      var page = owner.callAdmin("LookupEvents", request).statusCode(200).extract();
      usernames.addAll(page.path("Events.Username"));
      List<Number> eventTimes = page.path("Events.EventTime");
      eventTimes.forEach(t -> times.add(String.valueOf(t)));
      token = page.path("NextToken");
      pages++;
    } while (token != null && pages < 10);
    assertEquals(3, pages);
    assertEquals(6, usernames.size(), usernames.toString());
    assertEquals(
        3, usernames.stream().filter(user.principalArn()::equals).count(), usernames.toString());
    assertEquals(
        3, usernames.stream().filter(owner.principalArn()::equals).count(), usernames.toString());
    for (int i = 1; i < times.size(); i++) {
      assertTrue(
          Double.parseDouble(times.get(i - 1)) >= Double.parseDouble(times.get(i)),
          "newest first: " + times);
    }
    // The user sees its own three, not the owner's.
    user.callAdmin("LookupEvents", Map.of("EventName", "Encrypt"))
        .statusCode(200)
        .body("Events", hasSize(3))
        .body("Events.Username", everyItem(equalTo(user.principalArn())));
  }

  @Test
  void lookupEvents_nonRootNeedsAnIdentityPolicy() {
    KmsApi root = KmsApi.newAccount();
    String auditorArn = "arn:aws:iam::" + root.accountId() + ":role/Auditor";
    KmsApi auditor = root.as(auditorArn);
    auditor
        .callAdmin("LookupEvents", Map.of())
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
    root.callAdmin(
            "PutPrincipalPolicy",
            Map.of(
                "PrincipalArn",
                auditorArn,
                "PolicyDocument",
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"keyhaven:LookupEvents\",\"Resource\":\"*\"}]}"))
        .statusCode(200);
    auditor.callAdmin("LookupEvents", Map.of()).statusCode(200);
    auditor
        .callAdmin("VerifyAuditTrail", Map.of())
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"));
  }

  @Test
  void verifyAuditTrail_onlyTheOperatorAccounts_oneWalkAtATime() throws Exception {
    // The walk reads every account's records: a tenant's root may not run it.
    KmsApi tenant = KmsApi.newAccount();
    tenant
        .callAdmin("VerifyAuditTrail", Map.of())
        .statusCode(400)
        .body("__type", equalTo("AccessDeniedException"))
        .body(
            "message",
            equalTo(
                "User: "
                    + tenant.principalArn()
                    + " is not authorized to perform:"
                    + " keyhaven:VerifyAuditTrail because only the deployment's operator accounts may verify the audit trail"));
    // Enough records that a walk takes a while, then eight walks at once: one runs, the others
    // are throttled while it does.
    for (int i = 0; i < 300; i++) {
      tenant.call("GenerateRandom", Map.of("NumberOfBytes", 16)).statusCode(200);
    }
    KmsApi operator = KmsApi.operator();
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    List<java.util.concurrent.Future<String>> answers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      answers.add(
          pool.submit(
              () -> {
                start.await();
                var answer = operator.callAdmin("VerifyAuditTrail", Map.of()).extract();
                return answer.statusCode() == 200 ? "ok" : answer.path("__type");
              }));
    }
    start.countDown();
    List<String> outcomes = new ArrayList<>();
    for (var answer : answers) {
      outcomes.add(answer.get());
    }
    pool.shutdown();
    assertTrue(outcomes.contains("ok"), outcomes.toString());
    assertTrue(outcomes.contains("ThrottlingException"), outcomes.toString());
    assertTrue(
        outcomes.stream().allMatch(o -> o.equals("ok") || o.equals("ThrottlingException")),
        outcomes.toString());
    operator.callAdmin("VerifyAuditTrail", Map.of()).statusCode(200).body("Valid", equalTo(true));
  }

  @Test
  void verifyAuditTrail_isValid_andThePublicKeyIsPublished() {
    KmsApi root = KmsApi.newAccount();
    KmsApi operator = KmsApi.operator();
    operator
        .callAdmin("VerifyAuditTrail", Map.of())
        .statusCode(200)
        .body("Valid", equalTo(true))
        .body("FindingCount", equalTo(0))
        .body("Findings", hasSize(0));
    operator
        .callAdmin("VerifyAuditTrail", Map.of("FromSeq", 0))
        .statusCode(400)
        .body("__type", equalTo("ValidationException"));
    root.callAdmin("GetAuditPublicKey", Map.of())
        .statusCode(200)
        .body("SigningAlgorithm", equalTo("ECDSA_SHA_384"))
        .body("SigningKeys[0].InUse", equalTo(true));
  }

  private static ExtractableResponse<Response> grantToApp(
      KmsApi root, String keyId, String operation) {
    return root.call(
            "CreateGrant",
            Map.of(
                "KeyId",
                keyId,
                "GranteePrincipal",
                "arn:aws:iam::" + root.accountId() + ":role/App",
                "Operations",
                List.of(operation)))
        .statusCode(200)
        .extract();
  }

  private long count(String sql, String account) {
    return pool.preparedQuery(sql)
        .execute(Tuple.of(account))
        .await()
        .indefinitely()
        .iterator()
        .next()
        .getLong(0);
  }
}
