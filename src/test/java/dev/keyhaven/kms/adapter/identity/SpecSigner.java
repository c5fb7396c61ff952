package dev.keyhaven.kms.adapter.identity;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An AWS SigV4 signer written for the tests straight from the AWS General Reference ("Create a
 * signed AWS API request", steps 1-6), independent of the production code: the JDK's own SUN and
 * SunJCE providers, {@link URLEncoder} for encoding, no shared helper.
 *
 * <p>It signs exactly the header names it is given; a listed header missing from the map is signed
 * with an empty value (which a verifier must still refuse).
 */
public final class SpecSigner {
  static final String AKID = "AKIDEXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  private final String accessKeyId;
  private final String secret;
  private final String region;
  private final String service;

  public SpecSigner(String accessKeyId, String secret, String region, String service) {
    this.accessKeyId = accessKeyId;
    this.secret = secret;
    this.region = region;
    this.service = service;
  }

  /** The Authorization header value; {@code headers} must hold the x-amz-date. */
  public String authorization(
      String method, String query, Map<String, String> headers, List<String> signed, byte[] body) {
    String amzDate = headers.get("x-amz-date");
    String date = amzDate.substring(0, 8);
    TreeMap<String, String> canonicalHeaders = new TreeMap<>();
    for (String name : signed) {
      String value = headers.getOrDefault(name, "");
      canonicalHeaders.put(name, value.trim().replaceAll(" +", " "));
    }
    String signedHeaders = String.join(";", canonicalHeaders.keySet());
    String canonicalRequest =
        method
            + "\n"
            + "/\n"
            + canonicalQuery(query)
            + "\n"
            + canonicalHeaders.entrySet().stream()
                .map(e -> e.getKey() + ":" + e.getValue() + "\n")
                .collect(Collectors.joining())
            + "\n"
            + signedHeaders
            + "\n"
            + hex(sha256(body));
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    String signature = hex(hmac(signingKey(secret, date, region, service), stringToSign));
    return "AWS4-HMAC-SHA256 Credential="
        + accessKeyId
        + "/"
        + scope
        + ", SignedHeaders="
        + signedHeaders
        + ", Signature="
        + signature;
  }

  /** kSigning of the reference's step 4, for {@code date} (yyyyMMdd). */
  static byte[] signingKey(String secret, String date, String region, String service) {
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    return hmac(key, "aws4_request");
  }

  private static String canonicalQuery(String query) {
    if (query.isEmpty()) {
      return "";
    }
    List<String> pairs = new ArrayList<>();
    for (String pair : query.split("&")) {
      String[] nv = pair.split("=", 2);
      pairs.add(encode(nv[0]) + "=" + encode(nv.length > 1 ? nv[1] : ""));
    }
    pairs.sort(null);
    return String.join("&", pairs);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256", "SUN").digest(data);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256", "SunJCE");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
