package dev.keyhaven.tests.reliability;

import java.net.URI;
import java.time.Duration;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.AwsResponse;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * One Keyhaven endpoint as the drivers use it: a real SDK v2 {@link KmsClient} signing with SigV4
 * (no retries, so every answer is the first one), and {@link #call} that turns each request into an
 * {@link Answer}: HTTP status, request id and error code when the server answered, status 0
 * ("unknown") when it was sent but no HTTP answer came back (reset, timeout), {@link #REFUSED} when
 * the connection was refused.
 */
public final class ReliabilityClient implements AutoCloseable {
  /** What one request got. {@code value} is the SDK response when status is 200. */
  public record Answer<T>(
      String operation,
      long startMs,
      long endMs,
      int status,
      String requestId,
      String error,
      T value) {
    public boolean ok() {
      return status == 200;
    }

    /** Sent, but no HTTP answer came back (reset, timeout): it may or may not have happened. */
    public boolean unknown() {
      return status == 0;
    }

    /** Never sent: nothing listened on the endpoint. */
    public boolean refused() {
      return status == REFUSED;
    }

    public long millis() {
      return endMs - startMs;
    }
  }

  /** The status of an {@link Answer} to a request whose connection was refused. */
  public static final int REFUSED = -1;

  private final KmsClient kms;
  private final String endpoint;

  /** A client for {@code endpoint} with the given SigV4 key; answers wait at most 30 s. */
  public ReliabilityClient(String endpoint, String accessKeyId, String secretAccessKey) {
    this.endpoint = endpoint;
    this.kms =
        KmsClient.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.of(ReliabilityEnv.required("KMS_REGION")))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(Duration.ofSeconds(30)))
            .overrideConfiguration(
                o ->
                    o.retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(30)))
            .build();
  }

  /** The account root's client for the endpoint and key of the sourced dev.env. */
  public static ReliabilityClient root() {
    return new ReliabilityClient(
        ReliabilityEnv.required("KMS_ENDPOINT"),
        ReliabilityEnv.required("AWS_ACCESS_KEY_ID"),
        ReliabilityEnv.required("AWS_SECRET_ACCESS_KEY"));
  }

  public String endpoint() {
    return endpoint;
  }

  /** Sends one request and classifies its answer; never throws for a KMS or transport error. */
  public <T extends AwsResponse> Answer<T> call(String operation, Function<KmsClient, T> request) {
    long start = System.currentTimeMillis();
    try {
      T response = request.apply(kms);
      return new Answer<>(
          operation,
          start,
          System.currentTimeMillis(),
          200,
          response.responseMetadata().requestId(),
          null,
          response);
    } catch (AwsServiceException e) {
      String code = e.awsErrorDetails() == null ? "?" : e.awsErrorDetails().errorCode();
      return new Answer<>(
          operation, start, System.currentTimeMillis(), e.statusCode(), e.requestId(), code, null);
    } catch (SdkClientException e) {
      int status = refused(e) ? REFUSED : 0;
      return new Answer<>(
          operation,
          start,
          System.currentTimeMillis(),
          status,
          null,
          e.getClass().getSimpleName(),
          null);
    }
  }

  private static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.net.ConnectException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    kms.close();
  }
}
