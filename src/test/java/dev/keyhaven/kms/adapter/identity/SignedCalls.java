package dev.keyhaven.kms.adapter.identity;

import dev.keyhaven.kms.support.KmsApi;
import io.restassured.RestAssured;
import io.restassured.parsing.Parser;
import io.restassured.response.ValidatableResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** KMS calls through the running service signed with SigV4 by {@link SpecSigner}. */
final class SignedCalls {
  private static final DateTimeFormatter BASIC =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private SignedCalls() {}

  /**
   * {@code POST /} of {@code TrentService.<operation>}, signed at {@code at} (region us-east-1).
   */
  static ValidatableResponse signed(
      String accessKeyId, String secret, String operation, String body, Instant at) {
    Map<String, String> headers = new TreeMap<>();
    headers.put(
        "host", java.net.URI.create(RestAssured.baseURI).getHost() + ":" + RestAssured.port);
    headers.put("x-amz-date", BASIC.format(at));
    headers.put("x-amz-target", "TrentService." + operation);
    String authorization =
        new SpecSigner(accessKeyId, secret, "us-east-1", "kms")
            .authorization(
                "POST",
                "",
                headers,
                List.of("host", "x-amz-date", "x-amz-target"),
                body.getBytes(StandardCharsets.UTF_8));
    return KmsApi.request()
        .header("Authorization", authorization)
        .header("X-Amz-Date", headers.get("x-amz-date"))
        .header("X-Amz-Target", headers.get("x-amz-target"))
        .contentType(KmsApi.CONTENT_TYPE)
        .body(body)
        .post("/")
        .then()
        .parser(KmsApi.CONTENT_TYPE, Parser.JSON);
  }
}
