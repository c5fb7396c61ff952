import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * XKS proxy API latency under load (docs/xks.md): {@code connections} threads, each on its own
 * HTTP/1.1 connection, send XKS Encrypt requests (32 bytes, with AAD — what AWS KMS sends for a
 * data key) signed with SigV4 as AWS KMS signs them, for {@code seconds}; prints requests/s and
 * p50/p99/p99.9/max, and exits 1 if any answer is not 200 or p99 is not under {@code p99Limit} ms.
 * JDK only: {@code java bench/XksLatency.java <endpoint> <XksProxyUriPath> <accessKeyId> <secret>
 * <region> <keyId> <seconds> <connections> <p99LimitMs>}; with a tenth argument {@code
 * --wrk-script} it prints a wrk script of one signed request instead (bench/xks-latency.sh).
 */
public class XksLatency {
  private static final DateTimeFormatter BASIC =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  public static void main(String[] a) throws Exception {
    String endpoint = a[0];
    String path = a[1] + "/keys/" + a[5] + "/encrypt";
    String access = a[2];
    String secret = a[3];
    String region = a[4];
    int seconds = Integer.parseInt(a[6]);
    int connections = Integer.parseInt(a[7]);
    double limit = Double.parseDouble(a[8]);
    String body =
        "{\"requestMetadata\":{\"awsPrincipalArn\":\"arn:aws:iam::123456789012:user/Load\","
            + "\"kmsKeyArn\":\"arn:aws:kms:"
            + region
            + ":123456789012:key/"
            + a[5]
            + "\","
            + "\"kmsOperation\":\"GenerateDataKey\",\"kmsRequestId\":\"load\"},"
            + "\"plaintext\":\"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\","
            + "\"additionalAuthenticatedData\":\"cHJvamVjdD1uaWxl\",\"encryptionAlgorithm\":\"AES_GCM\"}";
    URI uri = URI.create(endpoint + path);
    String host = uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    if (a.length > 9 && a[9].equals("--wrk-script")) {
      System.out.print(
          wrkScript(path, host, body, signature(path, host, body, access, secret, region)));
      return;
    }
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong failures = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    List<Future<List<Long>>> runs = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      runs.add(
          pool.submit(
              () -> {
                HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<Long> times = new ArrayList<>();
                while (System.nanoTime() < end) {
                  HttpRequest request =
                      HttpRequest.newBuilder(uri)
                          .header("Content-Type", "application/json")
                          .headers(signature(path, host, body, access, secret, region))
                          .POST(HttpRequest.BodyPublishers.ofString(body))
                          .build();
                  long start = System.nanoTime();
                  HttpResponse<String> answer =
                      client.send(request, HttpResponse.BodyHandlers.ofString());
                  times.add(System.nanoTime() - start);
                  if (answer.statusCode() != 200 && failures.getAndIncrement() == 0) {
                    System.err.println(
                        "first failure: " + answer.statusCode() + " " + answer.body());
                  }
                }
                return times;
              }));
    }
    List<Long> all = new ArrayList<>();
    for (Future<List<Long>> run : runs) {
      all.addAll(run.get());
    }
    pool.shutdown();
    Collections.sort(all);
    double p99 = ms(all, 0.99);
    System.out.printf(
        "xks-latency: %d Encrypt requests, %d connections, %d s: %.0f requests/s; p50 %.1f ms, p99"
            + " %.1f ms, p99.9 %.1f ms, max %.1f ms; %d not 200%n",
        all.size(),
        connections,
        seconds,
        all.size() / (double) seconds,
        ms(all, 0.5),
        p99,
        ms(all, 0.999),
        all.get(all.size() - 1) / 1e6,
        failures.get());
    if (failures.get() > 0 || all.isEmpty() || p99 >= limit) {
      System.err.printf(
          "xks-latency: FAIL (every answer 200 and p99 under %.0f ms required)%n", limit);
      System.exit(1);
    }
  }

  /**
   * A wrk script that sends one request, signed once, on every connection: SigV4 does not forbid
   * replaying a signed request within its time window, and the server does the same work for each
   * copy (a fresh IV, an audit event). wrk costs a fraction of this class's client CPU, so on a
   * 2-core machine it measures the server rather than the client.
   */
  private static String wrkScript(String path, String host, String body, String[] signed) {
    StringBuilder lua = new StringBuilder();
    lua.append("wrk.method = \"POST\"\n");
    lua.append("wrk.path = \"").append(path).append("\"\n");
    lua.append("wrk.body = [[").append(body).append("]]\n");
    lua.append("wrk.headers[\"Host\"] = \"").append(host).append("\"\n");
    lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n");
    for (int i = 0; i < signed.length; i += 2) {
      lua.append("wrk.headers[\"").append(signed[i]).append("\"] = \"");
      lua.append(signed[i + 1]).append("\"\n");
    }
    return lua.toString();
  }

  private static double ms(List<Long> sorted, double quantile) {
    int i = (int) Math.min(sorted.size() - 1, Math.ceil(quantile * sorted.size()) - 1);
    return sorted.get(Math.max(0, i)) / 1e6;
  }

  /** X-Amz-Date and Authorization of SigV4 over host;x-amz-date (spec, Appendix A). */
  private static String[] signature(
      String path, String host, String body, String access, String secret, String region)
      throws Exception {
    String service = "kms-xks-proxy";
    String amzDate = BASIC.format(Instant.now());
    String date = amzDate.substring(0, 8);
    String canonical =
        "POST\n"
            + path
            + "\n\nhost:"
            + host
            + "\nx-amz-date:"
            + amzDate
            + "\n\nhost;x-amz-date\n"
            + hex(
                MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + scope
            + "\n"
            + hex(
                MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    for (String part : new String[] {region, service, "aws4_request"}) {
      key = hmac(key, part);
    }
    return new String[] {
      "X-Amz-Date",
      amzDate,
      "Authorization",
      "AWS4-HMAC-SHA256 Credential="
          + access
          + "/"
          + scope
          + ", SignedHeaders=host;x-amz-date, Signature="
          + hex(hmac(key, toSign))
    };
  }

  private static byte[] hmac(byte[] key, String data) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
