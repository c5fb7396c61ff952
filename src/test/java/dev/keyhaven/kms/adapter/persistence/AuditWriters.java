package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.config.KmsConfig;
import dev.keyhaven.kms.domain.audit.ChainHash;
import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.operation.port.AuditEcho;
import dev.keyhaven.kms.operation.port.AuditSigner;
import dev.keyhaven.kms.operation.port.AuditStore;
import dev.keyhaven.kms.operation.port.ServiceMetrics;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * More audit writers beside the server's own, as other server instances or Lambda environments
 * would run them, for the chain tests and the fleet benchmark.
 */
@ApplicationScoped
class AuditWriters {
  @Inject Pool pool;
  @Inject AuditStore store;
  @Inject Mutiny.SessionFactory sessions;
  @Inject AuditSigner signer;
  @Inject ChainHash hash;
  @Inject Vertx vertx;
  @Inject HotState hot;
  @Inject KmsConfig config;
  @Inject Clock clock;

  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  Optional<String> url;

  @ConfigProperty(name = "quarkus.datasource.username")
  Optional<String> user;

  @ConfigProperty(name = "quarkus.datasource.password")
  Optional<String> password;

  /** A started writer on {@code on}: it has leased a chain. */
  PgAuditLog start(Pool on) {
    return start(on, AuditEcho.NONE);
  }

  /** A started writer on {@code on} that echoes its group commits to {@code echo}. */
  PgAuditLog start(Pool on, AuditEcho echo) {
    PgAuditLog w =
        new PgAuditLog(
            on, hot, sessions, signer, hash, clock, vertx, ServiceMetrics.NONE, config, echo);
    w.start(Duration.ofSeconds(60), false);
    return w;
  }

  /** A started writer on the server's pool. */
  PgAuditLog start() {
    return start(pool);
  }

  /** A new pool's connect options: the test database's. */
  PgConnectOptions connectOptions() {
    return PgDatabaseWatch.options(url, user, password);
  }

  /** The stored head of chain {@code chainId} in {@code s}. */
  /**
   * Copies the chain's last row to the next seq, so that the writer's next batch INSERT — and with
   * it the batch's COMMIT — fails on the primary key. Returns that seq, for {@link #freeSeq}.
   */
  static long occupyNextSeq(Pool pool, ChainHead head) {
    long next = head.lastSeq() + 1;
    pool.preparedQuery(
            "INSERT INTO audit_event (chain_id, seq, event_time, account_id,"
                + " recipient_account_id, event_name, principal_arn, key_arn, error_code,"
                + " request_id, event_id, event_json, hash) SELECT chain_id, $1, event_time,"
                + " account_id, recipient_account_id, event_name, principal_arn, key_arn,"
                + " error_code, request_id, event_id, event_json, hash FROM audit_event"
                + " WHERE chain_id = $3 AND seq = $2")
        .execute(Tuple.of(next, head.lastSeq(), head.chainId()))
        .await()
        .indefinitely();
    return next;
  }

  /** Deletes the row {@link #occupyNextSeq} made. */
  static void freeSeq(Pool pool, ChainHead head, long seq) {
    pool.preparedQuery("DELETE FROM audit_event WHERE chain_id = $2 AND seq = $1")
        .execute(Tuple.of(seq, head.chainId()))
        .await()
        .indefinitely();
  }

  static ChainHead head(AuditStore s, long chainId) {
    return s.heads().await().indefinitely().stream()
        .filter(h -> h.chainId() == chainId)
        .findFirst()
        .orElseThrow();
  }

  ChainHead head(long chainId) {
    return head(store, chainId);
  }
}
