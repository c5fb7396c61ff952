package dev.keyhaven.kms.adapter.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link AwsRequestSigner} against signatures made elsewhere: AWS's own worked example (AWS General
 * Reference, "Signature Version 4 signing process", the IAM ListUsers request of 2015-08-30), and
 * two requests exactly as {@link AwsSecrets} sends them, signed by botocore 1.43 ({@code
 * botocore.auth.SigV4Auth}) with the documentation's example credentials.
 */
class AwsRequestSignerTest {
  private static final String ID = "AKIDEXAMPLE";
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  @Test
  void awsWorkedExample_iamListUsers() {
    Map<String, String> headers =
        AwsRequestSigner.sign(
            "GET",
            "/",
            "Action=ListUsers&Version=2010-05-08",
            Map.of(
                "Host", "iam.amazonaws.com",
                "Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),
            new byte[0],
            new AwsCredentials.Credentials(ID, SECRET, null, null),
            "us-east-1",
            "iam",
            Instant.parse("2015-08-30T12:36:00Z"));
    assertEquals(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request,"
            + " SignedHeaders=content-type;host;x-amz-date,"
            + " Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
        headers.get("Authorization"));
    assertEquals("20150830T123600Z", headers.get("X-Amz-Date"));
  }

  @Test
  void secretsManagerGetSecretValue_withSessionToken_asBotocoreSignsIt() {
    Map<String, String> headers =
        post(
            "secretsmanager.GetSecretValue",
            "{\"SecretId\":\"arn:aws:secretsmanager:eu-west-1:111122223333:secret:keyhaven/db-XyZ\"}",
            "IQoJb3JpZ2luX2VjEXAMPLETOKEN",
            "eu-west-1",
            "secretsmanager");
    assertEquals(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/eu-west-1/secretsmanager/aws4_request,"
            + " SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"
            + " Signature=74cf1a6e237e51146e595dabce0d89054dcd22d35bf6a0515b9966fb5d943e26",
        headers.get("authorization"));
    assertEquals("IQoJb3JpZ2luX2VjEXAMPLETOKEN", headers.get("X-Amz-Security-Token"));
  }

  @Test
  void ssmGetParameter_withoutSessionToken_asBotocoreSignsIt() {
    Map<String, String> headers =
        post(
            "AmazonSSM.GetParameter",
            "{\"Name\":\"arn:aws:ssm:us-east-1:111122223333:parameter/keyhaven/root-key\",\"WithDecryption\":true}",
            null,
            "us-east-1",
            "ssm");
    assertEquals(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261207/us-east-1/ssm/aws4_request,"
            + " SignedHeaders=content-type;host;x-amz-date;x-amz-target,"
            + " Signature=d7c864fa57a34dd404c6caa5581d3556c626362826f7392318041d42d29f5c2c",
        headers.get("Authorization"));
    assertFalse(headers.containsKey("x-amz-security-token"));
  }

  /** A JSON-protocol call as {@link AwsSecrets} makes it, at the instant botocore signed it. */
  private static Map<String, String> post(
      String target, String body, String sessionToken, String region, String service) {
    return AwsRequestSigner.sign(
        "POST",
        "/",
        "",
        Map.of(
            "host",
            service + "." + region + ".amazonaws.com",
            "content-type",
            "application/x-amz-json-1.1",
            "x-amz-target",
            target),
        body.getBytes(StandardCharsets.UTF_8),
        new AwsCredentials.Credentials(ID, SECRET, sessionToken, null),
        region,
        service,
        Instant.parse("2026-12-07T10:02:20Z"));
  }

  @Test
  void credentials_neverPrintTheirSecret() {
    String printed = new AwsCredentials.Credentials(ID, SECRET, "token-1", null).toString();
    assertFalse(printed.contains(SECRET) || printed.contains("token-1"), printed);
  }
}
