package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.audit.ChainHash;
import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.ChainVerifier;
import dev.keyhaven.kms.domain.audit.Checkpoint;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.port.AuditSigner;
import dev.keyhaven.kms.operation.port.AuditStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keyhaven extension {@code KeyhavenAdmin.VerifyAuditTrail}: walks the stored audit chain from
 * {@code FromSeq} (default 1) to {@code ToSeq} (default: the head) and its signed checkpoints, and
 * reports each gap, altered record, truncation and bad or missing checkpoint with the sequence
 * numbers involved (docs/audit.md, "Verifying"). A range that does not start at 1 is anchored on
 * the stored hash of the record before it; one that ends at the head also checks the tail.
 *
 * <p>The chain is global to the deployment, so the report names sequence numbers, never other
 * accounts' events. Allowed for account roots and principals whose identity policy allows
 * {@code keyhaven:VerifyAuditTrail}.
 */
@ApplicationScoped
public class VerifyAuditTrail
    implements KmsOperation<VerifyAuditTrail.Request, VerifyAuditTrail.Response> {
  private static final int PAGE = 5000;

  public record Request(Long fromSeq, Long toSeq) {}

  public record Finding(String problem, Long fromSeq, Long toSeq, String detail) {}

  /**
   * @param valid true when nothing was found
   * @param findingCount every finding; {@code findings} lists the first 1,000
   */
  public record Response(
      Boolean valid,
      Long fromSeq,
      Long toSeq,
      Long recordsChecked,
      Integer checkpointsChecked,
      Long findingCount,
      List<Finding> findings) {}

  private final AuditStore store;
  private final AuditSigner signer;
  private final ChainHash hash;
  private final AuditAccess access;

  VerifyAuditTrail(AuditStore store, AuditSigner signer, ChainHash hash, AuditAccess access) {
    this.store = store;
    this.signer = signer;
    this.hash = hash;
    this.access = access;
  }

  @Override
  public KmsAction action() {
    return KmsAction.VERIFY_AUDIT_TRAIL;
  }

  @Override
  public Class<Request> requestType() {
    return Request.class;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    long from = request.fromSeq() == null ? 1 : request.fromSeq();
    if (from < 1 || (request.toSeq() != null && request.toSeq() < from)) {
      throw dev.keyhaven.kms.domain.error.KmsException.validation(
          "FromSeq must be at least 1 and ToSeq at least FromSeq");
    }
    // One snapshot: appends and checkpoints that commit during the walk are not seen, so they
    // cannot look like records beyond the head or a missing checkpoint.
    return access
        .require(context, action())
        .chain(
            () ->
                store.inSnapshot(
                    snapshot ->
                        snapshot
                            .readHead()
                            .chain(head -> verify(snapshot, from, request.toSeq(), head))))
        .map(VerifyAuditTrail::response);
  }

  /**
   * Verifies {@code [from, to]}; {@code to} null means up to the head, checking the tail. The
   * caller makes sure nothing is appended meanwhile (else see {@link AuditStore#inSnapshot}).
   */
  public Uni<ChainVerifier.Report> verify(long from, Long to, ChainHead head) {
    return verify(store, from, to, head);
  }

  private Uni<ChainVerifier.Report> verify(
      AuditStore store, long from, Long to, ChainHead head) {
    // Up to the head, every stored record is read, so rows beyond the head are found too.
    long last = to == null ? Long.MAX_VALUE : to;
    Uni<Optional<byte[]>> anchor =
        from == 1 ? Uni.createFrom().item(Optional.of(ChainHash.genesis())) : store.hashOf(from - 1);
    return Uni.combine()
        .all()
        .unis(anchor, store.checkpoints(from, last), store.signingKeys())
        .asTuple()
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .chain(
            t -> {
              Map<String, byte[]> keys = t.getItem3();
              ChainVerifier verifier =
                  new ChainVerifier(
                      hash,
                      (Checkpoint c) -> signer.verify(c, keys.get(c.signingKeyId())),
                      from,
                      t.getItem1().orElse(null),
                      t.getItem2());
              return walk(store, verifier, from, last)
                  .map(ignored -> verifier.finish(to == null ? head.lastSeq() : to, to == null ? head : null));
            });
  }

  /**
   * Feeds the records of {@code [next, last]} to the verifier page by page, fetching the next
   * page while the current one is hashed.
   */
  private Uni<Void> walk(AuditStore store, ChainVerifier verifier, long next, long last) {
    return walk(store, verifier, fetch(store, next, last), last);
  }

  private Uni<Void> walk(
      AuditStore store,
      ChainVerifier verifier,
      Uni<List<AuditStore.StoredRecord>> fetching,
      long last) {
    return fetching
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .chain(
            page -> {
              Uni<List<AuditStore.StoredRecord>> following =
                  page.size() < PAGE || page.get(page.size() - 1).seq() >= last
                      ? null
                      : fetch(store, page.get(page.size() - 1).seq() + 1, last);
              page.forEach(r -> verifier.accept(r.seq(), r.hash(), r.canonical()));
              return following == null
                  ? Uni.createFrom().voidItem()
                  : walk(store, verifier, following, last);
            });
  }

  /**
   * Starts reading a page now; the returned Uni replays it. A CompletionStage holds the result:
   * {@code memoize().indefinitely()} with an eager subscriber occasionally handed the later
   * subscriber a null item (seen as a NullPointerException in AuditTamperTest).
   */
  private static Uni<List<AuditStore.StoredRecord>> fetch(
      AuditStore store, long from, long last) {
    java.util.concurrent.CompletableFuture<List<AuditStore.StoredRecord>> page =
        store.records(from, last, PAGE).subscribeAsCompletionStage();
    return Uni.createFrom().completionStage(page);
  }

  private static Response response(ChainVerifier.Report report) {
    return new Response(
        report.ok(),
        report.fromSeq(),
        report.toSeq(),
        report.records(),
        report.checkpoints(),
        report.findingCount(),
        report.findings().stream()
            .map(f -> new Finding(f.problem().name(), f.fromSeq(), f.toSeq(), f.detail()))
            .toList());
  }
}
