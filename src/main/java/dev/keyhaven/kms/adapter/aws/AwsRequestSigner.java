package dev.keyhaven.kms.adapter.aws;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs an outgoing request with AWS Signature Version 4 (AWS General Reference, "Create a signed
 * AWS API request"), for the few calls Keyhaven makes to AWS itself: reading its secrets from
 * Secrets Manager or SSM ({@link AwsSecrets}). Only what those calls need: a path without dot or
 * empty segments, a query already in canonical form (sorted, SigV4-encoded) or empty, and headers
 * whose values need no whitespace folding.
 *
 * <p>Contract: {@link #sign} answers the headers to send — the given ones, {@code X-Amz-Date},
 * {@code X-Amz-Security-Token} when the credentials have a session token, and {@code Authorization}
 * — signing every one of them.
 */
final class AwsRequestSigner {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final HexFormat HEX = HexFormat.of();

  private AwsRequestSigner() {}

  /**
   * The signed headers of a request.
   *
   * @param headers the request's headers to sign, {@code host} included; names in any case
   */
  static Map<String, String> sign(
      String method,
      String path,
      String canonicalQuery,
      Map<String, String> headers,
      byte[] payload,
      AwsCredentials.Credentials credentials,
      String region,
      String service,
      Instant now) {
    String stamp = STAMP.format(now);
    String day = stamp.substring(0, 8);
    TreeMap<String, String> signed = new TreeMap<>();
    headers.forEach(
        (name, value) -> signed.put(name.toLowerCase(java.util.Locale.ROOT), value.strip()));
    signed.put("x-amz-date", stamp);
    if (credentials.sessionToken() != null) {
      signed.put("x-amz-security-token", credentials.sessionToken());
    }
    StringBuilder canonical = new StringBuilder(512);
    canonical
        .append(method)
        .append('\n')
        .append(path)
        .append('\n')
        .append(canonicalQuery)
        .append('\n');
    signed.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
    String signedNames = String.join(";", signed.keySet());
    canonical.append('\n').append(signedNames).append('\n').append(HEX.formatHex(sha256(payload)));

    String scope = day + "/" + region + "/" + service + "/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + stamp
            + "\n"
            + scope
            + "\n"
            + HEX.formatHex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = ("AWS4" + credentials.secretAccessKey()).getBytes(StandardCharsets.UTF_8);
    for (String part : new String[] {day, region, service, "aws4_request"}) {
      key = hmac(key, part);
    }
    String signature = HEX.formatHex(hmac(key, toSign));

    TreeMap<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    out.putAll(signed);
    out.put(
        "authorization",
        "AWS4-HMAC-SHA256 Credential="
            + credentials.accessKeyId()
            + "/"
            + scope
            + ", SignedHeaders="
            + signedNames
            + ", Signature="
            + signature);
    return out;
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 unavailable", e);
    }
  }
}
