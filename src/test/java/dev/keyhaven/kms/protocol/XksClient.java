package dev.keyhaven.kms.protocol;

import io.restassured.RestAssured;
import io.restassured.parsing.Parser;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An XKS proxy API client written for the tests from the specification (aws-kms-xksproxy-api-spec,
 * Appendix A: SigV4 with {@code SignedHeaders=host;x-amz-date}, the canonical URI the API path, an
 * empty query, the payload's SHA-256), with the JDK's own providers and no production code.
 *
 * @param uriPrefix the key store's prefix, e.g. {@code /keystores/<id>}
 * @param service the credential scope's service name ({@code kms-xks-proxy} as AWS KMS signs)
 */
record XksClient(
    String uriPrefix,
    String accessKeyId,
    String secret,
    String region,
    String service,
    Instant at) {
  private static final DateTimeFormatter BASIC =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  XksClient(String uriPrefix, String accessKeyId, String secret) {
    this(uriPrefix, accessKeyId, secret, "us-east-1", "kms-xks-proxy", null);
  }

  XksClient signedWith(String accessKeyId, String secret) {
    return new XksClient(uriPrefix, accessKeyId, secret, region, service, at);
  }

  XksClient scope(String region, String service) {
    return new XksClient(uriPrefix, accessKeyId, secret, region, service, at);
  }

  XksClient at(Instant time) {
    return new XksClient(uriPrefix, accessKeyId, secret, region, service, time);
  }

  XksClient prefix(String otherPrefix) {
    return new XksClient(otherPrefix, accessKeyId, secret, region, service, at);
  }

  /** {@code POST <uriPrefix>/kms/xks/v1/<apiPath>} with {@code json}, signed. */
  ValidatableResponse post(String apiPath, String json) {
    return send(uriPrefix + "/kms/xks/v1/" + apiPath, null, json);
  }

  /** The same credential on the AWS KMS endpoint: {@code POST /} of {@code TrentService.<op>}. */
  ValidatableResponse kms(String operation, String json) {
    return send("/", "TrentService." + operation, json);
  }

  private ValidatableResponse send(String path, String target, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    String host = java.net.URI.create(RestAssured.baseURI).getHost() + ":" + RestAssured.port;
    String amzDate = BASIC.format(at == null ? Instant.now() : at);
    String canonical =
        "POST\n"
            + path
            + "\n\n"
            + "host:"
            + host
            + "\n"
            + "x-amz-date:"
            + amzDate
            + "\n\n"
            + "host;x-amz-date\n"
            + hex(sha256(body));
    String scope = amzDate.substring(0, 8) + "/" + region + "/" + service + "/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), amzDate.substring(0, 8));
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String authorization =
        "AWS4-HMAC-SHA256 Credential="
            + accessKeyId
            + "/"
            + scope
            + ", SignedHeaders=host;x-amz-date, Signature="
            + hex(hmac(key, toSign));
    var request = RestAssured.given();
    if (target != null) {
      request = request.header("X-Amz-Target", target);
    }
    return request
        .header("Authorization", authorization)
        .header("X-Amz-Date", amzDate)
        .contentType(target == null ? "application/json" : "application/x-amz-json-1.1")
        .body(body)
        .post(path)
        .then()
        .parser("application/json", Parser.JSON)
        .parser("application/x-amz-json-1.1", Parser.JSON);
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256", "SUN").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256", "SunJCE");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
