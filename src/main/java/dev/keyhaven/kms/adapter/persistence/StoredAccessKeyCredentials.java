package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.operation.port.AccessKeyCredentials;
import dev.keyhaven.kms.operation.port.AccessKeyLookup;
import dev.keyhaven.kms.operation.port.AccessKeyRepository;
import dev.keyhaven.kms.operation.port.KeyMaterialCrypto;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * {@link AccessKeyCredentials} from the {@code access_key} table: the secret is unwrapped from the
 * root key (AAD {@code access-key:<id>}) for the request that needs it.
 */
@ApplicationScoped
public class StoredAccessKeyCredentials implements AccessKeyCredentials {
  private final AccessKeyRepository accessKeys;
  private final KeyMaterialCrypto crypto;

  StoredAccessKeyCredentials(AccessKeyRepository accessKeys, KeyMaterialCrypto crypto) {
    this.accessKeys = accessKeys;
    this.crypto = crypto;
  }

  @Override
  public Uni<Optional<AccessKeyLookup.Credential>> find(String accessKeyId) {
    if (accessKeyId.length() > 128) {
      return Uni.createFrom().item(Optional.empty());
    }
    return accessKeys
        .find(accessKeyId)
        .map(
            found ->
                found.map(
                    k ->
                        new AccessKeyLookup.Credential(
                            k.accessKeyId(),
                            k.principalArn(),
                            crypto.unwrapSecret("access-key:" + k.accessKeyId(), k.wrappedSecret()))));
  }
}
