package dev.keyhaven.kms.local;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.policy.Principal;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * On start of the local server (not in tests): writes {@code ${KMS_DATA_DIR}/dev.env} in shell
 * syntax — KMS_ENDPOINT, KMS_REGION, KMS_ACCOUNT_ID, KMS_TOKEN (a 12-hour dev JWT for the account
 * root) and the root's SigV4 access key as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY — and prints
 * the endpoint with a copy-paste example. Keys of a seed file ({@code kms.seed}, {@link SeedKeys})
 * are created first. The file is written only once the HTTP server listens, atomically, so its
 * presence means the service is ready.
 */
@ApplicationScoped
public class DevEnvironmentFile {
  private static final Logger LOG = Logger.getLogger(DevEnvironmentFile.class);
  static final Duration TOKEN_TTL = Duration.ofHours(12);

  private String pendingContent;
  private Path pendingFile;
  private boolean listening;

  /** The actual ports Quarkus listens on (the management interface's is random by default). */
  @jakarta.inject.Inject io.quarkus.value.registry.ValueRegistry values;

  @org.eclipse.microprofile.config.inject.ConfigProperty(
      name = "quarkus.management.host",
      defaultValue = "127.0.0.1")
  String managementHost;

  @org.eclipse.microprofile.config.inject.ConfigProperty(
      name = "quarkus.management.enabled",
      defaultValue = "false")
  boolean managementEnabled;

  private static final java.time.Duration MANAGEMENT_WAIT = java.time.Duration.ofSeconds(10);

  /** Prepares dev.env (the token, the dev access key: blocking work, fine on the main thread). */
  void onStart(
      @Observes StartupEvent event,
      @ConfigProperty(name = "quarkus.http.host", defaultValue = "127.0.0.1") String host,
      @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080") int port,
      KmsConfig config,
      DevAccessKey devAccessKey,
      SeedKeys seedKeys)
      throws Throwable {
    if (LaunchMode.current() == LaunchMode.TEST) {
      return;
    }
    String region = config.region();
    String account = config.dev().accountId();
    Path dataDir = DataDirectory.resolve(false);
    if (config.seed().isPresent()) {
      // Seeded keys exist before dev.env says the server is ready (docs/configuration.md).
      Path seed = Path.of(config.seed().get()).toAbsolutePath();
      try {
        seedKeys.apply(seed, config.partition(), region, account);
      } catch (SeedFile.Problems e) {
        throw LocalStart.refuse(
            "seed file "
                + seed
                + " refused, nothing was created:\n  "
                + String.join("\n  ", e.problems));
      }
    }
    String endpoint = "http://" + ("0.0.0.0".equals(host) ? "127.0.0.1" : host) + ":" + port;
    String token =
        new DevIssuer(dataDir).mint(Principal.root(config.partition(), account).arn(), TOKEN_TTL);
    DevAccessKey.Pair accessKey = devAccessKey.ensure(dataDir, region, config.partition(), account);
    String content =
        "# Written by ./kms dev on start. Source it: . "
            + dataDir.resolve("dev.env")
            + "\n"
            + "export KMS_ENDPOINT="
            + endpoint
            + "\n"
            + "export KMS_REGION="
            + region
            + "\n"
            + "export KMS_ACCOUNT_ID="
            + account
            + "\n"
            + "export KMS_TOKEN="
            + token
            + "\n"
            + "# SigV4 credentials of the account root, for the AWS CLI and SDKs:\n"
            + "export AWS_ACCESS_KEY_ID="
            + accessKey.accessKeyId()
            + "\n"
            + "export AWS_SECRET_ACCESS_KEY='"
            + accessKey.secretAccessKey()
            + "'\n"
            + "export AWS_REGION="
            + region
            + "\n"
            + "export AWS_DEFAULT_REGION="
            + region
            + "\n";
    LOG.infof(
        "%nKeyhaven KMS at %s (region %s, account %s); dev.env is written once it listens.%n"
            + "Try it:%n"
            + "  . %s%n"
            + "  curl -s $KMS_ENDPOINT -H \"Authorization: Bearer $KMS_TOKEN\" "
            + "-H 'X-Amz-Target: TrentService.CreateKey' "
            + "-H 'Content-Type: application/x-amz-json-1.1' -d '{}'%n"
            + "  aws --endpoint-url $KMS_ENDPOINT kms list-keys%n",
        endpoint, region, account, dataDir.resolve("dev.env"));
    ready(dataDir.resolve("dev.env"), content, false);
  }

  /**
   * The HTTP server is listening (Quarkus fires this asynchronously): dev.env may now say ready.
   */
  void onListening(@ObservesAsync HttpServerStart event) {
    ready(null, null, true);
  }

  /** Writes dev.env once both the content is prepared and the server listens, in either order. */
  private synchronized void ready(Path file, String content, boolean nowListening) {
    if (content != null) {
      pendingFile = file;
      pendingContent = content;
    }
    listening |= nowListening;
    if (listening && pendingContent != null) {
      write(pendingFile, pendingContent + metricsLine());
      LOG.infof("ready: %s", pendingFile);
      pendingContent = null;
    }
  }

  /**
   * {@code KMS_METRICS_ENDPOINT}: the management interface's metrics (docs/self-hosting.md). The
   * management server starts on its own, just before or after the main one: its port is waited for
   * (at most {@link #MANAGEMENT_WAIT}) rather than read once, which raced with it and failed the
   * observer, so dev.env was never written.
   */
  private String metricsLine() {
    Integer port = values == null ? null : managementPort();
    if (port == null || port <= 0) {
      if (managementEnabled) {
        LOG.warnf(
            "the management interface did not report its port in %s: no KMS_METRICS_ENDPOINT",
            MANAGEMENT_WAIT);
      }
      return "";
    }
    String host = "0.0.0.0".equals(managementHost) ? "127.0.0.1" : managementHost;
    return "export KMS_METRICS_ENDPOINT=http://" + host + ":" + port + "/q/metrics\n";
  }

  private Integer managementPort() {
    long deadline = System.nanoTime() + MANAGEMENT_WAIT.toNanos();
    Integer port = values.getOrDefault(io.quarkus.vertx.http.HttpServer.MANAGEMENT_PORT, null);
    while (port == null && managementEnabled && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
      port = values.getOrDefault(io.quarkus.vertx.http.HttpServer.MANAGEMENT_PORT, null);
    }
    return port;
  }

  private static void write(Path file, String content) {
    try {
      Path tmp = file.resolveSibling("dev.env.tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(
          tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, content);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
