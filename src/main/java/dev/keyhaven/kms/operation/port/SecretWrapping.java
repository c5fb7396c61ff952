package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.crypto.SecretBytes;

/**
 * Service secrets stored under the root key: secret access keys, XKS proxy credentials, the audit
 * signing key, import tokens.
 *
 * <p>Security guarantees: the wrapped bytes are AES-256-GCM under the root key with {@code purpose}
 * (e.g. {@code access-key:<id>}) bound as AAD, so they are useless under any other purpose.
 */
public interface SecretWrapping {

  /**
   * Wraps a service secret (e.g. a secret access key) under the root key, binding {@code purpose}
   * (e.g. {@code access-key:<id>}) as AAD so the wrapped bytes are useless elsewhere.
   */
  byte[] wrapSecret(String purpose, SecretBytes secret);

  /** Unwraps what {@link #wrapSecret} made for the same {@code purpose}. */
  SecretBytes unwrapSecret(String purpose, byte[] wrapped);
}
