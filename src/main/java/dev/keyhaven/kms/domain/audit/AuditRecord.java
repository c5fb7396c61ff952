package dev.keyhaven.kms.domain.audit;

/**
 * An event with its canonical form ({@link AuditJson#canonical}), made once per event: the bytes
 * the chain hashes, the row stores and the log sink echoes are these same bytes.
 */
public record AuditRecord(AuditEvent event, byte[] canonical) {

  /** The event with its canonical form. */
  public static AuditRecord of(AuditEvent event) {
    return new AuditRecord(event, AuditJson.canonical(event));
  }
}
