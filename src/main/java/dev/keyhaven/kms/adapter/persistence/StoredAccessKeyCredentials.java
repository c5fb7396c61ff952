package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.operation.port.AccessKeyCredentials;
import dev.keyhaven.kms.operation.port.AccessKeyLookup;
import dev.keyhaven.kms.operation.port.AccessKeyRepository.StoredAccessKey;
import dev.keyhaven.kms.operation.port.KeyMaterialCrypto;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link AccessKeyCredentials} from the {@code access_key} table: the row is read on every request
 * (one statement on the pool, {@link PoolReads}), so a deleted access key stops working at once;
 * the secret is unwrapped from the root key (AAD {@code access-key:<id>}) the first time a row is
 * seen and kept, by access key id and wrapped bytes, in a bounded LRU map — a row whose wrapped
 * secret changed is unwrapped again.
 */
@ApplicationScoped
public class StoredAccessKeyCredentials implements AccessKeyCredentials {
  private static final int MAX_CACHED_SECRETS = 4096;

  private record Unwrapped(byte[] wrapped, SecretBytes secret) {}

  private final PoolReads reads;
  private final KeyMaterialCrypto crypto;
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

  StoredAccessKeyCredentials(PoolReads reads, KeyMaterialCrypto crypto) {
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
                found.map(
                    k ->
                        new AccessKeyLookup.Credential(
                            k.accessKeyId(), k.principalArn(), secret(k))));
  }

  /** A copy of the unwrapped secret, which the caller owns (and may wipe). */
  private SecretBytes secret(StoredAccessKey key) {
    synchronized (secrets) {
      Unwrapped cached = secrets.get(key.accessKeyId());
      if (cached != null && Arrays.equals(cached.wrapped(), key.wrappedSecret())) {
        return copy(cached.secret());
      }
    }
    SecretBytes secret = crypto.unwrapSecret("access-key:" + key.accessKeyId(), key.wrappedSecret());
    synchronized (secrets) {
      Unwrapped previous =
          secrets.put(key.accessKeyId(), new Unwrapped(key.wrappedSecret().clone(), copy(secret)));
      if (previous != null) {
        previous.secret().wipe();
      }
    }
    return secret;
  }

  private static SecretBytes copy(SecretBytes secret) {
    return SecretBytes.adopt(secret.exposeForCrypto().clone());
  }
}
