package dev.keyhaven.tests.reliability;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The hostile requests of scenario 6 (docs/reliability.md), each with the answer it must get: the
 * AWS limits (reference aws-kms-api.md: Plaintext ≤ 4096 bytes, the 1 MiB body cap) and the JSON
 * bombs of security reference P11 — deep nesting, a 10^6-digit number, 10 MB strings, duplicate
 * members in encryption contexts, policies and grant constraints (rejected, never last-wins),
 * invalid UTF-8, and a wrong JSON type for each member of the common operations.
 */
final class ReliabilityHostileCases {
  /** One request and the HTTP status and AWS error type it must be answered with. */
  record Case(String name, String operation, byte[] body, int status, String type) {}

  private static final String SERIALIZATION = "SerializationException";
  private static final String VALIDATION = "ValidationException";
  private static final String MALFORMED_POLICY = "MalformedPolicyDocumentException";

  private ReliabilityHostileCases() {}

  static List<Case> all(String keyId) {
    List<Case> cases = new ArrayList<>();
    String key = "\"KeyId\":\"" + keyId + "\"";
    cases.add(
        json(
            "plaintext-4097-bytes",
            "Encrypt",
            "{" + key + ",\"Plaintext\":\"" + base64(4097) + "\"}",
            400,
            VALIDATION));
    cases.add(
        json(
            "plaintext-4096-bytes-ok",
            "Encrypt",
            "{" + key + ",\"Plaintext\":\"" + base64(4096) + "\"}",
            200,
            null));
    cases.add(
        json(
            "body-10MB",
            "Encrypt",
            "{" + key + ",\"Plaintext\":\"" + base64(7_864_320) + "\"}",
            413,
            VALIDATION));
    cases.add(
        json(
            "string-10MB-keyid",
            "Encrypt",
            "{\"KeyId\":\"" + repeat('k', 10 << 20) + "\",\"Plaintext\":\"AA==\"}",
            413,
            VALIDATION));
    cases.add(
        json(
            "string-1MB-keyid-under-body-cap",
            "Encrypt",
            "{\"KeyId\":\"" + repeat('k', 1_000_000) + "\",\"Plaintext\":\"AA==\"}",
            400,
            VALIDATION));
    cases.add(
        json(
            "string-10MB-policy",
            "PutKeyPolicy",
            "{" + key + ",\"PolicyName\":\"default\",\"Policy\":\"" + repeat(' ', 10 << 20) + "\"}",
            413,
            VALIDATION));
    cases.add(
        json(
            "nested-10000-arrays",
            "Encrypt",
            "{" + key + ",\"EncryptionContext\":" + repeat('[', 10_000) + repeat(']', 10_000) + "}",
            400,
            SERIALIZATION));
    cases.add(
        json(
            "nested-10000-objects",
            "Encrypt",
            "{"
                + key
                + ",\"EncryptionContext\":"
                + "{\"a\":".repeat(10_000)
                + "1"
                + repeat('}', 10_000)
                + "}",
            400,
            SERIALIZATION));
    cases.add(
        json(
            "number-1000000-digits",
            "GenerateDataKey",
            "{" + key + ",\"NumberOfBytes\":" + repeat('9', 1_000_000) + "}",
            400,
            SERIALIZATION));
    cases.add(
        json(
            "number-exponent-huge",
            "GenerateDataKey",
            "{" + key + ",\"NumberOfBytes\":1e999999999}",
            400,
            SERIALIZATION));
    cases.add(
        json(
            "duplicate-member-top-level",
            "Encrypt",
            "{" + key + "," + key + ",\"Plaintext\":\"AA==\"}",
            400,
            SERIALIZATION));
    cases.add(
        json(
            "duplicate-key-encryption-context",
            "Encrypt",
            "{" + key + ",\"Plaintext\":\"AA==\",\"EncryptionContext\":{\"a\":\"1\",\"a\":\"2\"}}",
            400,
            SERIALIZATION));
    cases.add(
        json(
            "duplicate-key-decrypt-context",
            "Decrypt",
            "{\"CiphertextBlob\":\"AQ==\",\"EncryptionContext\":{\"a\":\"1\",\"a\":\"1\"}}",
            400,
            SERIALIZATION));
    cases.add(
        json(
            "duplicate-key-grant-constraint",
            "CreateGrant",
            "{"
                + key
                + ",\"GranteePrincipal\":\"arn:aws:iam::111122223333:role/R\","
                + "\"Operations\":[\"Decrypt\"],\"Constraints\":{\"EncryptionContextSubset\":"
                + "{\"a\":\"1\",\"a\":\"2\"}}}",
            400,
            SERIALIZATION));
    String dupPolicy =
        "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":"
            + "\\\"Allow\\\",\\\"Effect\\\":\\\"Deny\\\",\\\"Principal\\\":{\\\"AWS\\\":"
            + "\\\"arn:aws:iam::111122223333:root\\\"},\\\"Action\\\":\\\"kms:*\\\","
            + "\\\"Resource\\\":\\\"*\\\"}]}";
    String validPolicy =
        "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":"
            + "\\\"Allow\\\",\\\"Principal\\\":{\\\"AWS\\\":"
            + "\\\"arn:aws:iam::111122223333:root\\\"},\\\"Action\\\":\\\"kms:*\\\","
            + "\\\"Resource\\\":\\\"*\\\"}]}";
    cases.add(
        json(
            "duplicate-key-policy",
            "PutKeyPolicy",
            "{" + key + ",\"PolicyName\":\"default\",\"Policy\":\"" + dupPolicy + "\"}",
            400,
            MALFORMED_POLICY));
    // The valid calls of the two policy operations: a state change costs a transaction, so their
    // rejections are held to two of these, not two Encrypts (the default policy, put again).
    cases.add(
        json(
            "put-key-policy-ok",
            "PutKeyPolicy",
            "{" + key + ",\"PolicyName\":\"default\",\"Policy\":\"" + validPolicy + "\"}",
            200,
            null));
    cases.add(json("create-key-ok", "CreateKey", "{}", 200, null));
    cases.add(
        json(
            "duplicate-key-policy-create-key",
            "CreateKey",
            "{\"Policy\":\"" + dupPolicy + "\"}",
            400,
            MALFORMED_POLICY));
    cases.add(
        raw(
            "invalid-utf8-in-value",
            "Encrypt",
            concat(
                "{" + key + ",\"Plaintext\":\"AA==\",\"EncryptionContext\":{\"a\":\"",
                new byte[] {(byte) 0xc3, 0x28},
                "\"}}"),
            400,
            SERIALIZATION));
    cases.add(
        raw(
            "invalid-utf8-in-name",
            "Encrypt",
            concat("{" + key + ",\"", new byte[] {(byte) 0xff, (byte) 0xfe}, "\":1}"),
            400,
            SERIALIZATION));
    cases.add(
        raw(
            "invalid-utf8-overlong",
            "Encrypt",
            concat("{\"KeyId\":\"", new byte[] {(byte) 0xc0, (byte) 0xaf}, "\"}"),
            400,
            SERIALIZATION));
    cases.add(
        raw(
            "not-json",
            "Encrypt",
            "KeyId=x".getBytes(StandardCharsets.US_ASCII),
            400,
            SERIALIZATION));
    wrongTypes(cases, key);
    return cases;
  }

  /** Each member of the common operations with values of every wrong JSON type. */
  private static void wrongTypes(List<Case> cases, String key) {
    String[][] members = {
      {"Encrypt", "KeyId", "5|[]|{}|true|1.5"},
      {"Encrypt", "Plaintext", "5|[]|{}|true"},
      {"Encrypt", "EncryptionContext", "\"a\"|[]|5|true|{\"a\":5}|{\"a\":{}}|{\"a\":[]}"},
      {"Encrypt", "GrantTokens", "\"t\"|{}|5|[5]|[{}]"},
      {"Encrypt", "DryRun", "\"true\"|1|[]|{}"},
      {"Encrypt", "EncryptionAlgorithm", "5|[]|{}|true"},
      {"Decrypt", "CiphertextBlob", "5|[]|{}|true"},
      {"GenerateDataKey", "NumberOfBytes", "\"32\"|32.5|true|[]|{}"},
      {"GenerateDataKey", "KeySpec", "5|[]|{}|true"},
      {"CreateKey", "Tags", "\"t\"|{}|[5]|[{\"TagKey\":5,\"TagValue\":\"v\"}]"},
      {"CreateKey", "BypassPolicyLockoutSafetyCheck", "\"true\"|1"},
      {"CreateKey", "Policy", "5|{}|[]"},
      {"ListKeys", "Limit", "\"10\"|10.5|true|[]"},
      {"CreateGrant", "Operations", "\"Decrypt\"|[5]|{}"},
      {"CreateGrant", "Constraints", "\"c\"|[]|{\"EncryptionContextSubset\":[]}"},
      {"ScheduleKeyDeletion", "PendingWindowInDays", "\"7\"|7.5|false"},
    };
    for (String[] m : members) {
      for (String value : m[2].split("\\|")) {
        String body =
            m[1].equals("KeyId")
                ? "{\"KeyId\":" + value + "}"
                : "{" + key + ",\"" + m[1] + "\":" + value + "}";
        cases.add(
            json("wrong-type-" + m[0] + "." + m[1] + "=" + value, m[0], body, 400, SERIALIZATION));
      }
    }
  }

  private static Case json(String name, String op, String body, int status, String type) {
    return new Case(name, op, body.getBytes(StandardCharsets.UTF_8), status, type);
  }

  private static Case raw(String name, String op, byte[] body, int status, String type) {
    return new Case(name, op, body, status, type);
  }

  private static byte[] concat(String before, byte[] middle, String after) {
    byte[] a = before.getBytes(StandardCharsets.UTF_8);
    byte[] c = after.getBytes(StandardCharsets.UTF_8);
    byte[] out = Arrays.copyOf(a, a.length + middle.length + c.length);
    System.arraycopy(middle, 0, out, a.length, middle.length);
    System.arraycopy(c, 0, out, a.length + middle.length, c.length);
    return out;
  }

  private static String base64(int bytes) {
    return Base64.getEncoder().encodeToString(new byte[bytes]);
  }

  private static String repeat(char c, int n) {
    char[] chars = new char[n];
    Arrays.fill(chars, c);
    return new String(chars);
  }
}
