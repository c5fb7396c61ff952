package dev.keyhaven.kms.local;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.policy.Credential;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.admin.CreateAccessKey;
import dev.keyhaven.kms.operation.port.AccessKeyRepository;
import dev.keyhaven.kms.operation.port.SecretWrapping;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The account root's SigV4 access key for {@code dev.env} (local mode only): created once through
 * the real CreateAccessKey operation, its id remembered in {@code
 * ${KMS_DATA_DIR}/dev-access-key-id}, and reused on later starts (the secret is unwrapped from the
 * root key).
 */
@ApplicationScoped
public class DevAccessKey {
  private static final Logger LOG = Logger.getLogger(DevAccessKey.class);

  /** An access key id and its secret. */
  public record Pair(String accessKeyId, String secretAccessKey) {}

  private final CreateAccessKey createAccessKey;
  private final AccessKeyRepository accessKeys;
  private final SecretWrapping crypto;

  DevAccessKey(
      CreateAccessKey createAccessKey, AccessKeyRepository accessKeys, SecretWrapping crypto) {
    this.createAccessKey = createAccessKey;
    this.accessKeys = accessKeys;
    this.crypto = crypto;
  }

  /** The root's dev access key, creating it if the data directory has none that still exists. */
  Pair ensure(Path dataDir, String region, String partition, String accountId) throws Throwable {
    Path idFile = dataDir.resolve("dev-access-key-id");
    String known = Files.exists(idFile) ? Files.readString(idFile).trim() : null;
    return VertxContextSupport.subscribeAndAwait(
        () ->
            (known == null
                    ? Uni.createFrom().<Pair>nullItem()
                    : existing(known, partition, accountId))
                .chain(
                    found ->
                        found != null
                            ? Uni.createFrom().item(found)
                            : create(region, partition, accountId, idFile)));
  }

  /**
   * The remembered key, or null if it is gone — or no longer the root's, or no longer unwrapping
   * under its own columns (its row was edited outside Keyhaven): then a new one is created and the
   * edited row stays refused.
   */
  private Uni<Pair> existing(String accessKeyId, String partition, String accountId) {
    String root = Principal.root(partition, accountId).arn();
    return accessKeys
        .find(accessKeyId)
        .map(
            found ->
                found
                    .filter(k -> k.accountId().equals(accountId) && k.principalArn().equals(root))
                    .map(this::unwrapped)
                    .orElse(null));
  }

  private Pair unwrapped(AccessKeyRepository.StoredAccessKey key) {
    SecretBytes secret;
    try {
      secret = crypto.unwrapSecret(key.purpose(), key.wrappedSecret());
    } catch (IllegalStateException e) {
      LOG.warnf(
          "the dev access key %s does not unwrap under its own row: creating a new one",
          key.accessKeyId());
      return null;
    }
    try {
      return new Pair(
          key.accessKeyId(), new String(secret.exposeForCrypto(), StandardCharsets.US_ASCII));
    } finally {
      secret.wipe();
    }
  }

  private Uni<Pair> create(String region, String partition, String accountId, Path idFile) {
    Principal root = Principal.root(partition, accountId);
    RequestContext context =
        new RequestContext(
            UUID.randomUUID().toString(),
            new CallerIdentity(root, new Credential.LocalDev()),
            region,
            partition,
            Instant.now());
    return createAccessKey
        .execute(context, new CreateAccessKey.Request(root.arn()))
        .map(
            response -> {
              try {
                Files.writeString(idFile, response.accessKey().accessKeyId() + "\n");
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
              return new Pair(
                  response.accessKey().accessKeyId(), response.accessKey().secretAccessKey());
            });
  }
}
