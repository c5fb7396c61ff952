package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.operation.port.AccessKeyCredentials;
import dev.keyhaven.kms.operation.port.AccessKeyLookup;
import dev.keyhaven.kms.operation.port.AccessKeyRepository.StoredAccessKey;
import dev.keyhaven.kms.operation.port.SecretWrapping;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@link AccessKeyCredentials} from the {@code access_key} table: the row comes from {@link
 * PoolReads} (the hot-state cache, whose version the audit transaction checks), so a deleted access
 * key stops working at the next request on every instance; the secret is unwrapped from the root
 * key the first time a row is seen and kept in a bounded LRU map, by access key id together with
 * the row's account, principal and wrapped bytes — a row any of which changed is unwrapped again.
 *
 * <p>The unwrap binds the access key id, account and principal ARN ({@link
 * StoredAccessKey#purpose()}): a row edited outside Keyhaven (re-pointed at another principal or
 * account, or given another row's secret) does not unwrap, and the key is then treated as unknown —
 * the request fails as UnrecognizedClientException — with one WARN line naming the access key id
 * (never a secret).
 */
@ApplicationScoped
public class StoredAccessKeyCredentials implements AccessKeyCredentials {
  private static final int MAX_CACHED_SECRETS = 4096;

  private static final Logger LOG = Logger.getLogger(StoredAccessKeyCredentials.class);

  private record Unwrapped(
      byte[] wrapped, String accountId, String principalArn, SecretBytes secret) {
    boolean matches(StoredAccessKey key) {
      return Arrays.equals(wrapped, key.wrappedSecret())
          && accountId.equals(key.accountId())
          && principalArn.equals(key.principalArn());
    }
  }

  private final PoolReads reads;
  private final SecretWrapping crypto;
  private final Map<String, Unwrapped> secrets =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Unwrapped> eldest) {
          if (size() > MAX_CACHED_SECRETS) {
            eldest.getValue().secret().wipe();
            return true;
          }
          return false;
        }
      };

  StoredAccessKeyCredentials(PoolReads reads, SecretWrapping crypto) {
    this.reads = reads;
    this.crypto = crypto;
  }

  @Override
  public Uni<Optional<AccessKeyLookup.Credential>> find(String accessKeyId) {
    if (accessKeyId.length() > 128) {
      return Uni.createFrom().item(Optional.empty());
    }
    return reads
        .accessKey(accessKeyId)
        .map(
            found ->
                found.flatMap(
                    k ->
                        secret(k)
                            .map(
                                secret ->
                                    new AccessKeyLookup.Credential(
                                        k.accessKeyId(), k.principalArn(), secret))));
  }

  /**
   * A copy of the unwrapped secret, which the caller owns (and may wipe); empty if the row does not
   * unwrap under its own columns (edited outside Keyhaven).
   */
  private Optional<SecretBytes> secret(StoredAccessKey key) {
    synchronized (secrets) {
      Unwrapped cached = secrets.get(key.accessKeyId());
      if (cached != null && cached.matches(key)) {
        return Optional.of(copy(cached.secret()));
      }
    }
    SecretBytes secret;
    try {
      secret = crypto.unwrapSecret(key.purpose(), key.wrappedSecret());
    } catch (IllegalStateException e) {
      LOG.warnf(
          "access key %s refused: its access_key row does not match what Keyhaven wrote (account,"
              + " principal or wrapped secret changed outside Keyhaven, or a row from before schema"
              + " V10 that was not re-wrapped)",
          key.accessKeyId());
      return Optional.empty();
    }
    synchronized (secrets) {
      Unwrapped previous =
          secrets.put(
              key.accessKeyId(),
              new Unwrapped(
                  key.wrappedSecret().clone(), key.accountId(), key.principalArn(), copy(secret)));
      if (previous != null) {
        previous.secret().wipe();
      }
    }
    return Optional.of(secret);
  }

  private static SecretBytes copy(SecretBytes secret) {
    return SecretBytes.adopt(secret.exposeForCrypto().clone());
  }
}
