package dev.keyhaven.kms.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KeyReference;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The request codec's input rules (security reference P11; docs/reliability.md, scenario 6): only
 * well-formed UTF-8, blobs only as base64 strings, duplicates and bombs refused — each as a
 * JsonProcessingException, which the protocol answers with SerializationException.
 */
class JsonCodecTest {
  record Request(String keyId, byte[] plaintext, Map<String, String> encryptionContext) {}

  private final JsonCodec codec = new JsonCodec();

  @Test
  void read_wellFormedUtf8_keepsTheText() throws Exception {
    Request r =
        codec.read(
            utf8("{\"KeyId\":\"caf\u00e9 \ud83d\udd11\",\"Plaintext\":\"aGk=\"}"), Request.class);
    assertEquals("caf\u00e9 \ud83d\udd11", r.keyId());
    assertArrayEquals(utf8("hi"), r.plaintext());
  }

  @Test
  void read_overlongSlash_throws() {
    // C0 AF is an overlong '/': Jackson's byte parser alone reads it as "alias/x".
    assertRefused(bytes("{\"KeyId\":\"alias", 0xc0, 0xaf, "x\"}"));
  }

  @Test
  void read_invalidUtf8_throws() {
    assertRefused(bytes("{\"KeyId\":\"", 0xc3, 0x28, "\"}"));
    assertRefused(bytes("{\"", 0xff, 0xfe, "\":1}"));
    assertRefused(bytes("{\"KeyId\":\"", 0xed, 0xa0, 0x80, "\"}")); // an encoded surrogate
    assertRefused(bytes("{\"KeyId\":\"", 0xe2, 0x82, "\"}")); // truncated sequence
  }

  @Test
  void read_blobAsArrayOfNumbers_throws() {
    assertRefused(utf8("{\"Plaintext\":[104,105]}"));
    assertRefused(utf8("{\"Plaintext\":[]}"));
    assertRefused(utf8("{\"Plaintext\":5}"));
    assertRefused(utf8("{\"Plaintext\":{}}"));
    assertRefused(utf8("{\"Plaintext\":true}"));
  }

  @Test
  void read_blobNotBase64_throws() {
    assertRefused(utf8("{\"Plaintext\":\"***\"}"));
  }

  @Test
  void read_duplicateContextKey_throws() {
    assertRefused(utf8("{\"EncryptionContext\":{\"a\":\"1\",\"a\":\"2\"}}"));
  }

  @Test
  void read_bombs_throw() {
    assertRefused(utf8("{\"EncryptionContext\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}"));
    assertRefused(utf8("{\"KeyId\":" + "9".repeat(100_000) + "}"));
    // a value over the limit is a ValidationException (below); one never closed is Jackson's
    assertRefused(utf8("{\"KeyId\":\"" + "k".repeat(JsonCodec.MAX_STRING_LENGTH + 1)));
  }

  @Test
  void read_digitRuns_onlyOutsideStringsAndOverTheLimitRefused() throws Exception {
    assertRefused(utf8("{\"KeyId\":1" + "0".repeat(JsonCodec.MAX_NUMBER_LENGTH) + "}"));
    String digits = "9".repeat(1000);
    assertEquals(digits, codec.read(utf8("{\"KeyId\":\"" + digits + "\"}"), Request.class).keyId());
    assertEquals(
        "\\\"" + digits,
        codec.read(utf8("{\"KeyId\":\"\\\\\\\"" + digits + "\"}"), Request.class).keyId());
  }

  // AWS KMS API Reference, PutKeyPolicy, Policy: maximum length 131072, the longest string member.
  @Test
  void read_valueOverTheLongestMember_validationExceptionNamingTheMember() throws Exception {
    KmsException e =
        assertThrows(
            KmsException.class,
            () ->
                codec.read(
                    utf8("{\"Plaintext\":\"AA==\", \"KeyId\" : \"" + "k".repeat(1_000_000) + "\"}"),
                    Request.class));
    assertEquals(ErrorCode.VALIDATION, e.code());
    assertEquals(
        "1 validation error detected: Value '"
            + "k".repeat(256)
            + "...' at 'keyId' failed to"
            + " satisfy constraint: Member must have length less than or equal to 131072",
        e.getMessage());
    // The limit itself is accepted (an escape counts as one character) ...
    String atLimit = "k".repeat(JsonCodec.MAX_STRING_LENGTH - 1) + "\\u00e9";
    assertEquals(
        JsonCodec.MAX_STRING_LENGTH,
        codec.read(utf8("{\"KeyId\":\"" + atLimit + "\"}"), Request.class).keyId().length());
    // ... one more is not, inside a map as well; a name that long is Jackson's to refuse.
    assertThrows(
        KmsException.class,
        () -> codec.read(utf8("{\"KeyId\":\"k" + atLimit + "\"}"), Request.class));
    assertThrows(
        KmsException.class,
        () ->
            codec.read(
                utf8("{\"EncryptionContext\":{\"a\":\"" + "v".repeat(200_000) + "\"}}"),
                Request.class));
    assertRefused(utf8("{\"" + "N".repeat(200_000) + "\":1}"));
  }

  record Keyed(KeyReference keyId) {}

  // A KeyId member is decoded by form, never refused for its text: the resolver answers text of no
  // form with AWS's "Invalid keyId", after the member rules (KeyIdOrderTest).
  @Test
  void read_keyIdMember_keyReferenceByFormWithTheTextAsSent() throws Exception {
    String id = "1234abcd-12ab-34cd-56ef-1234567890ab";
    assertEquals(
        new KeyReference.ById(id, java.util.UUID.fromString(id)),
        codec.read(utf8("{\"KeyId\":\"" + id + "\"}"), Keyed.class).keyId());
    assertInstanceOf(
        KeyReference.ByArn.class,
        codec
            .read(
                utf8("{\"KeyId\":\"arn:aws:kms:us-east-1:111122223333:key/" + id + "\"}"),
                Keyed.class)
            .keyId());
    assertInstanceOf(
        KeyReference.ByAliasName.class,
        codec.read(utf8("{\"KeyId\":\"alias/app\"}"), Keyed.class).keyId());
    assertEquals(
        new KeyReference.Unrecognized("not a key \u00e9"),
        codec.read(utf8("{\"KeyId\":\"not a key \\u00e9\"}"), Keyed.class).keyId());
    assertEquals(
        new KeyReference.Unrecognized(""),
        codec.read(utf8("{\"KeyId\":\"\"}"), Keyed.class).keyId());
    assertEquals(new Keyed(null), codec.read(utf8("{\"KeyId\":null}"), Keyed.class));
    assertEquals(new Keyed(null), codec.read(new byte[0], Keyed.class));
  }

  @Test
  void read_keyIdMemberNotAString_throws() {
    for (String value : new String[] {"5", "1.5", "true", "[]", "[\"alias/app\"]", "{}"}) {
      assertThrows(
          JsonProcessingException.class,
          () -> codec.read(utf8("{\"KeyId\":" + value + "}"), Keyed.class),
          value);
    }
  }

  @Test
  void read_emptyBody_readsAsEmptyObject() throws Exception {
    assertEquals(new Request(null, null, null), codec.read(new byte[0], Request.class));
  }

  private void assertRefused(byte[] body) {
    assertThrows(JsonProcessingException.class, () -> codec.read(body, Request.class));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Text and raw byte values (ints) concatenated. */
  private static byte[] bytes(Object... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String s) {
        out.writeBytes(utf8(s));
      } else {
        out.write((Integer) part);
      }
    }
    return out.toByteArray();
  }
}
