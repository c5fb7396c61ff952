package dev.keyhaven.kms.operation.port;

import io.smallrye.mutiny.Uni;
import java.util.Optional;

/**
 * The credential of one access key, fetched for the request that names it: the principal it belongs
 * to and its secret, unwrapped from the root key for this request only.
 */
public interface AccessKeyCredentials {

  /** The key with this id, or empty if there is none. */
  Uni<Optional<AccessKeyLookup.Credential>> find(String accessKeyId);
}
