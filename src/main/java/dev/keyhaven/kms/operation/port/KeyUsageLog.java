package dev.keyhaven.kms.operation.port;

import dev.keyhaven.kms.domain.audit.KeyUsage;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The read side of key-usage tracking (GetKeyLastUsage). The write side is the audit trail's: the
 * transaction that makes a successful cryptographic operation's audit event durable also records it
 * as its keys' last use, so a use is reported exactly when its event is durable — a caller that got
 * an Encrypt's answer finds that Encrypt (or a later use) here.
 */
public interface KeyUsageLog {

  /**
   * What is recorded for {@code keyId}.
   *
   * @return since when uses are recorded at all, and the key's last use since then, if any
   */
  Uni<Tracked> find(UUID keyId);

  /**
   * @param since when this database began recording uses (before it: nothing is known)
   */
  record Tracked(Instant since, Optional<KeyUsage> last) {}
}
