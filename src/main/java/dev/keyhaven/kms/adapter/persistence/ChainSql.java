package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.domain.audit.AuditEvent;
import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.Checkpoint;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The statements that append to an audit chain, over one connection in one transaction: the Vert.x
 * connection of a group commit, or the Hibernate session of a state change.
 */
interface ChainSql {
  String HEAD_COLUMNS =
      "chain_id, last_seq, last_hash, checkpoint_seq, checkpoint_signature, checkpoint_time";
  String LOCK_HEAD =
      "SELECT "
          + HEAD_COLUMNS
          + " FROM audit_chain WHERE chain_id = $1 AND lease_owner = $2"
          + " FOR UPDATE";
  String INSERT_EVENT =
      "INSERT INTO audit_event (chain_id, seq, event_time, account_id, recipient_account_id,"
          + " event_name, principal_arn, key_arn, error_code, request_id, event_id, event_json,"
          + " hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
  String INSERT_CHECKPOINT =
      "INSERT INTO audit_checkpoint (chain_id, last_seq, first_seq, head_hash, previous_signature,"
          + " created_at, signing_key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

  /** Also renews the writer's lease: $7 is the new lease end. */
  String UPDATE_HEAD =
      "UPDATE audit_chain SET last_seq = $2, last_hash = $3, checkpoint_seq = $4,"
          + " checkpoint_signature = $5, checkpoint_time = $6, lease_until = $7 WHERE chain_id = $1";

  /**
   * Reads the head of chain {@code chainId} and locks its row until the transaction ends, if {@code
   * owner} holds its lease; else the item is null (the writer must lease another chain).
   */
  Uni<ChainHead> lockHead(long chainId, String owner);

  Uni<Void> execute(String sql, List<Object[]> rows);

  /** One statement of a plan with its rows (several rows: one batch). */
  record Statement(String sql, List<Object[]> rows) {}

  /** Writes a plan made from the locked head, one statement after another. */
  default Uni<Void> write(ChainAppend.Plan plan) {
    Uni<Void> written = Uni.createFrom().voidItem();
    for (Statement statement : statements(plan)) {
      written = written.chain(() -> execute(statement.sql(), statement.rows()));
    }
    return written;
  }

  /** The statements that write {@code plan}: its rows, its checkpoint if any, the new head. */
  static List<Statement> statements(ChainAppend.Plan plan) {
    List<Statement> statements = new java.util.ArrayList<>(3);
    long chain = plan.head().chainId();
    List<Object[]> events = plan.rows().stream().map(row -> eventRow(chain, row)).toList();
    if (!events.isEmpty()) {
      statements.add(new Statement(INSERT_EVENT, events));
    }
    if (plan.checkpoint() != null) {
      Checkpoint c = plan.checkpoint();
      Object[] row = {
        c.chainId(),
        c.lastSeq(),
        c.firstSeq(),
        c.headHash(),
        c.previousSignature(),
        time(c.createdAt()),
        c.signingKeyId(),
        c.signature()
      };
      statements.add(new Statement(INSERT_CHECKPOINT, List.<Object[]>of(row)));
    }
    ChainHead h = plan.head();
    Object[] head = {
      h.chainId(),
      h.lastSeq(),
      h.lastHash(),
      h.checkpointSeq(),
      h.checkpointSignature(),
      time(h.checkpointTime()),
      time(plan.leaseUntil())
    };
    statements.add(new Statement(UPDATE_HEAD, List.<Object[]>of(head)));
    return statements;
  }

  private static Object[] eventRow(long chain, ChainAppend.Row row) {
    AuditEvent e = row.event();
    List<AuditEvent.Resource> resources = e.resources();
    return new Object[] {
      chain,
      row.seq(),
      time(e.eventTime()),
      e.userIdentity().accountId(),
      e.recipientAccountId(),
      truncate(e.eventName(), 64),
      e.userIdentity().arn(),
      resources.isEmpty() ? null : truncate(resources.get(0).arn(), 128),
      e.errorCode(),
      e.requestId(),
      e.eventId(),
      new String(row.canonical(), java.nio.charset.StandardCharsets.UTF_8),
      row.hash()
    };
  }

  static OffsetDateTime time(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(Object value) {
    if (value instanceof OffsetDateTime t) {
      return t.toInstant();
    }
    if (value instanceof Instant t) {
      return t;
    }
    if (value instanceof java.time.LocalDateTime t) {
      return t.toInstant(ZoneOffset.UTC);
    }
    if (value instanceof java.util.Date d) {
      return d.toInstant();
    }
    throw new IllegalStateException("not a timestamp: " + value);
  }

  private static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
