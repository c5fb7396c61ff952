package dev.keyhaven.tests.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Keyhaven's extension API ({@code KeyhavenAdmin.<Operation>}), which no AWS SDK knows: one POST
 * signed with the AWS SDK's own SigV4 signer (service {@code kms}), answered as a {@link
 * ReliabilityClient.Answer} so the journal counts it like any other call.
 */
final class ReliabilityAdmin {
  private static final Pattern TYPE = Pattern.compile("\"__type\"\\s*:\\s*\"([^\"]+)\"");
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(
              HttpClient.Version.HTTP_1_1) // no h2c upgrade: the signed Host header stays as sent
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private final String endpoint;
  private final AwsCredentialsIdentity credentials;

  ReliabilityAdmin(String endpoint, String accessKeyId, String secretAccessKey) {
    this.endpoint = endpoint;
    this.credentials = AwsCredentialsIdentity.create(accessKeyId, secretAccessKey);
  }

  /** The answer of {@code operation} with JSON {@code body}; the value is the response body. */
  ReliabilityClient.Answer<String> call(String operation, String body) {
    long start = System.currentTimeMillis();
    SdkHttpRequest unsigned =
        SdkHttpRequest.builder()
            .uri(URI.create(endpoint))
            .method(SdkHttpMethod.POST)
            .putHeader("X-Amz-Target", "KeyhavenAdmin." + operation)
            .putHeader("Content-Type", "application/x-amz-json-1.1")
            .build();
    var signed =
        AwsV4HttpSigner.create()
            .sign(
                r ->
                    r.identity(credentials)
                        .request(unsigned)
                        .payload(ContentStreamProvider.fromUtf8String(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kms")
                        .putProperty(
                            AwsV4HttpSigner.REGION_NAME, ReliabilityEnv.required("KMS_REGION")));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(endpoint))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
      if (!header.getKey().equalsIgnoreCase("host")) { // set by the client, from the URI
        header.getValue().forEach(v -> request.header(header.getKey(), v));
      }
    }
    try {
      HttpResponse<String> answer =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      String requestId = answer.headers().firstValue("x-amzn-RequestId").orElse(null);
      long end = System.currentTimeMillis();
      if (answer.statusCode() == 200) {
        return new ReliabilityClient.Answer<>(
            operation, start, end, 200, requestId, null, answer.body());
      }
      Matcher type = TYPE.matcher(answer.body());
      return new ReliabilityClient.Answer<>(
          operation,
          start,
          end,
          answer.statusCode(),
          requestId,
          type.find() ? type.group(1) : "?",
          null);
    } catch (IOException e) {
      return new ReliabilityClient.Answer<>(
          operation,
          start,
          System.currentTimeMillis(),
          e instanceof java.net.ConnectException ? ReliabilityClient.REFUSED : 0,
          null,
          e.getClass().getSimpleName(),
          null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A string member of a flat or one-level JSON answer, e.g. {@code AccessKeyId}. */
  static String member(String json, String name) {
    Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + name + " in the answer");
    }
    return m.group(1);
  }
}
