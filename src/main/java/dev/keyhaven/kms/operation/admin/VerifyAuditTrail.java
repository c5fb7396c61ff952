package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.audit.ChainHash;
import dev.keyhaven.kms.domain.audit.ChainHead;
import dev.keyhaven.kms.domain.audit.ChainVerifier;
import dev.keyhaven.kms.domain.audit.Checkpoint;
import dev.keyhaven.kms.domain.audit.Manifest;
import dev.keyhaven.kms.domain.audit.ManifestVerifier;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.AuditAccess;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AuditSigner;
import dev.keyhaven.kms.operation.port.AuditStore;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * Keyhaven extension {@code KeyhavenAdmin.VerifyAuditTrail}: walks every stored audit chain from
 * seq 1 to its head with its signed checkpoints, then the signed manifests over the chains, and
 * reports each gap, altered record, truncation, bad or missing checkpoint, dropped chain and bad
 * manifest with the chain and sequence numbers involved (docs/audit.md, "Verifying"). With {@code
 * ChainId}, only that chain, optionally from {@code FromSeq} (default 1) to {@code ToSeq} (default:
 * its head): a range that does not start at 1 is anchored on the stored hash of the record before
 * it; one that ends at the head also checks the tail.
 *
 * <p>The chains are global to the deployment, so the report names chains and sequence numbers,
 * never other accounts' events. Allowed for the roots of the deployment's operator accounts and
 * their principals whose identity policy allows {@code keyhaven:VerifyAuditTrail} ({@link
 * AuditAccess}); one walk at a time per process (else ThrottlingException), since each reads the
 * whole trail.
 */
@Action(KmsAction.VERIFY_AUDIT_TRAIL)
@ApplicationScoped
public class VerifyAuditTrail
    implements KmsOperation<VerifyAuditTrail.Request, VerifyAuditTrail.Response> {
  private static final int PAGE = 5000;
  private static final int MANIFEST_PAGE = 1000;

  public record Request(Long chainId, Long fromSeq, Long toSeq) {}

  public record Finding(String problem, Long chainId, Long fromSeq, Long toSeq, String detail) {}

  /**
   * @param valid true when nothing was found
   * @param chainId, fromSeq, toSeq the range walked when one chain was asked for, else null
   * @param findingCount every finding; {@code findings} lists the first 1,000
   */
  public record Response(
      Boolean valid,
      Long chainId,
      Long fromSeq,
      Long toSeq,
      Integer chainsChecked,
      Long recordsChecked,
      Integer checkpointsChecked,
      Integer manifestsChecked,
      Long findingCount,
      List<Finding> findings) {}

  private final AuditStore store;
  private final AuditSigner signer;
  private final ChainHash hash;
  private final AuditAccess access;

  /** Whether a walk requested through the API is running in this process (one at a time). */
  private final AtomicBoolean walking = new AtomicBoolean();

  VerifyAuditTrail(AuditStore store, AuditSigner signer, ChainHash hash, AuditAccess access) {
    this.store = store;
    this.signer = signer;
    this.hash = hash;
    this.access = access;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    long from = request.fromSeq() == null ? 1 : request.fromSeq();
    if (from < 1 || (request.toSeq() != null && request.toSeq() < from)) {
      throw KmsException.validation("FromSeq must be at least 1 and ToSeq at least FromSeq");
    }
    if (request.chainId() == null && (request.fromSeq() != null || request.toSeq() != null)) {
      throw KmsException.validation("FromSeq and ToSeq apply to one chain: give its ChainId");
    }
    if (request.chainId() != null && request.chainId() < 1) {
      throw KmsException.validation("ChainId must be at least 1");
    }
    return access
        .require(context, KmsAction.VERIFY_AUDIT_TRAIL)
        .chain(
            () -> {
              if (!walking.compareAndSet(false, true)) {
                throw new KmsException(
                    ErrorCode.THROTTLING,
                    "Rate exceeded: one verification of the audit trail runs at a time");
              }
              return (request.chainId() == null
                      ? verifyTrail()
                      : verifyChain(request.chainId(), from, request.toSeq()))
                  .onTermination()
                  .invoke(() -> walking.set(false));
            });
  }

  /**
   * Verifies every chain and the manifests in one snapshot: appends, checkpoints and manifests that
   * commit during the walk are not seen, so they cannot look like tampering.
   */
  public Uni<Response> verifyTrail() {
    return store.inSnapshot(
        snapshot ->
            snapshot
                .heads()
                .chain(
                    heads ->
                        verifyEach(snapshot, heads, 0, new ArrayList<>())
                            .chain(
                                reports ->
                                    verifyManifests(snapshot, heads)
                                        .map(m -> response(null, reports, m)))));
  }

  private Uni<Response> verifyChain(long chainId, long from, Long to) {
    return store.inSnapshot(
        snapshot ->
            snapshot
                .heads()
                .chain(
                    heads -> {
                      ChainHead head =
                          heads.stream()
                              .filter(h -> h.chainId() == chainId)
                              .findFirst()
                              .orElse(null);
                      if (head == null) {
                        throw KmsException.validation("No audit chain " + chainId + " is stored");
                      }
                      return verify(snapshot, from, to, head)
                          .map(r -> response(r, List.of(r), null));
                    }));
  }

  private Uni<List<ChainVerifier.Report>> verifyEach(
      AuditStore snapshot, List<ChainHead> heads, int next, List<ChainVerifier.Report> done) {
    if (next == heads.size()) {
      return Uni.createFrom().item(done);
    }
    return verify(snapshot, 1, null, heads.get(next))
        .chain(
            report -> {
              done.add(report);
              return verifyEach(snapshot, heads, next + 1, done);
            });
  }

  /**
   * Verifies {@code [from, to]} of {@code head}'s chain; {@code to} null means up to the head,
   * checking the tail. The caller makes sure nothing is appended meanwhile (else see {@link
   * AuditStore#inSnapshot}).
   */
  public Uni<ChainVerifier.Report> verify(long from, Long to, ChainHead head) {
    return verify(store, from, to, head);
  }

  private Uni<ChainVerifier.Report> verify(AuditStore store, long from, Long to, ChainHead head) {
    long chain = head.chainId();
    // Up to the head, every stored record is read, so rows beyond the head are found too.
    long last = to == null ? Long.MAX_VALUE : to;
    Uni<Optional<byte[]>> anchor =
        from == 1
            ? Uni.createFrom().item(Optional.of(hash.genesis(chain)))
            : store.hashOf(chain, from - 1);
    return Uni.combine()
        .all()
        .unis(anchor, store.checkpoints(chain, from, last), store.signingKeys())
        .asTuple()
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .chain(
            t -> {
              Map<String, byte[]> keys = t.getItem3();
              ChainVerifier verifier =
                  new ChainVerifier(
                      hash,
                      (Checkpoint c) -> signer.verify(c, keys.get(c.signingKeyId())),
                      chain,
                      from,
                      t.getItem1().orElse(null),
                      t.getItem2());
              return walk(store, verifier, chain, from, last)
                  .map(
                      ignored ->
                          verifier.finish(
                              to == null ? head.lastSeq() : to, to == null ? head : null));
            });
  }

  /**
   * The manifests' findings against the chains stored now. The caller makes sure nothing is
   * appended meanwhile (else see {@link AuditStore#inSnapshot}).
   */
  public Uni<List<ChainVerifier.Finding>> verifyManifests() {
    return store
        .heads()
        .chain(heads -> verifyManifests(store, heads))
        .map(ManifestVerifier::findings);
  }

  /** Walks the manifests page by page, then checks the last one's heads against the records. */
  private Uni<ManifestVerifier> verifyManifests(AuditStore snapshot, List<ChainHead> heads) {
    return snapshot
        .signingKeys()
        .chain(
            keys -> {
              ManifestVerifier verifier =
                  new ManifestVerifier(
                      m -> signer.verify(m, keys.get(m.signingKeyId())),
                      heads.stream().map(ChainHead::chainId).collect(Collectors.toSet()));
              return manifestPages(snapshot, verifier, 1)
                  .chain(() -> checkHeads(snapshot, verifier, verifier.headsToCheck(), 0))
                  .replaceWith(verifier);
            });
  }

  private Uni<Void> manifestPages(AuditStore snapshot, ManifestVerifier verifier, long from) {
    return snapshot
        .manifests(from, MANIFEST_PAGE)
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .chain(
            page -> {
              page.forEach(verifier::accept);
              return page.size() < MANIFEST_PAGE
                  ? Uni.createFrom().voidItem()
                  : manifestPages(snapshot, verifier, page.get(page.size() - 1).seq() + 1);
            });
  }

  private Uni<Void> checkHeads(
      AuditStore snapshot, ManifestVerifier verifier, List<Manifest.Head> heads, int next) {
    if (next == heads.size()) {
      return Uni.createFrom().voidItem();
    }
    Manifest.Head head = heads.get(next);
    return snapshot
        .hashOf(head.chainId(), head.lastSeq())
        .chain(
            stored -> {
              verifier.stored(head, stored.orElse(null));
              return checkHeads(snapshot, verifier, heads, next + 1);
            });
  }

  /**
   * Feeds the records of {@code [next, last]} to the verifier page by page, fetching the next page
   * while the current one is hashed.
   */
  private Uni<Void> walk(
      AuditStore store, ChainVerifier verifier, long chain, long next, long last) {
    return walk(store, verifier, chain, fetch(store, chain, next, last), last);
  }

  private Uni<Void> walk(
      AuditStore store,
      ChainVerifier verifier,
      long chain,
      Uni<List<AuditStore.StoredRecord>> fetching,
      long last) {
    return fetching
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .chain(
            page -> {
              Uni<List<AuditStore.StoredRecord>> following =
                  page.size() < PAGE || page.get(page.size() - 1).seq() >= last
                      ? null
                      : fetch(store, chain, page.get(page.size() - 1).seq() + 1, last);
              page.forEach(r -> verifier.accept(r.seq(), r.hash(), r.canonical()));
              return following == null
                  ? Uni.createFrom().voidItem()
                  : walk(store, verifier, chain, following, last);
            });
  }

  /**
   * Starts reading a page now; the returned Uni replays it. A CompletionStage holds the result:
   * {@code memoize().indefinitely()} with an eager subscriber occasionally handed the later
   * subscriber a null item (seen as a NullPointerException in AuditTamperTest).
   */
  private static Uni<List<AuditStore.StoredRecord>> fetch(
      AuditStore store, long chain, long from, long last) {
    java.util.concurrent.CompletableFuture<List<AuditStore.StoredRecord>> page =
        store.records(chain, from, last, PAGE).subscribeAsCompletionStage();
    return Uni.createFrom().completionStage(page);
  }

  /**
   * The answer: {@code single} names the one chain asked for (else null), {@code manifests} the
   * manifest check (null when one chain was asked for).
   */
  private static Response response(
      ChainVerifier.Report single, List<ChainVerifier.Report> reports, ManifestVerifier manifests) {
    List<ChainVerifier.Finding> all = new ArrayList<>();
    long count = 0;
    long records = 0;
    int checkpoints = 0;
    for (ChainVerifier.Report r : reports) {
      all.addAll(r.findings());
      count += r.findingCount();
      records += r.records();
      checkpoints += r.checkpoints();
    }
    if (manifests != null) {
      all.addAll(manifests.findings());
      count += manifests.findings().size();
    }
    return new Response(
        count == 0,
        single == null ? null : single.chainId(),
        single == null ? null : single.fromSeq(),
        single == null ? null : single.toSeq(),
        reports.size(),
        records,
        checkpoints,
        manifests == null ? null : manifests.manifests(),
        count,
        all.stream()
            .limit(ChainVerifier.MAX_FINDINGS)
            .map(
                f ->
                    new Finding(
                        f.problem().name(), f.chainId(), f.fromSeq(), f.toSeq(), f.detail()))
            .toList());
  }
}
