package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyMaterialVersion;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.domain.key.Origin;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * AWS KMS ListKeyRotations (API Reference): a key's completed rotations, oldest first, each with
 * its KeyMaterialId, KeyMaterialState (CURRENT for the version Encrypt uses, NON_CURRENT for the
 * decrypt-only ones), RotationDate and RotationType. IncludeKeyMaterial ALL_KEY_MATERIAL adds the
 * first material and imported material pending rotation (KeyMaterialState PENDING_ROTATION), which
 * have no rotation date or type; the default is ROTATIONS_ONLY. For EXTERNAL keys each entry also
 * has ImportState: IMPORTED, or PENDING_IMPORT once that material is deleted or expired. Limit
 * 1–1000 (default 100), Marker/NextMarker/Truncated. Symmetric keys of origin AWS_KMS or EXTERNAL,
 * every key state; key id or key ARN.
 */
@Action(KmsAction.LIST_KEY_ROTATIONS)
@ApplicationScoped
public class ListKeyRotations
    implements KmsOperation<ListKeyRotations.Request, ListKeyRotations.Response> {
  static final int DEFAULT_LIMIT = 100;
  static final String ROTATIONS_ONLY = "ROTATIONS_ONLY";
  static final String ALL_KEY_MATERIAL = "ALL_KEY_MATERIAL";

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Values({ALL_KEY_MATERIAL, ROTATIONS_ONLY}) String includeKeyMaterial,
      @Member.Range(min = 1, max = 1000) Integer limit,
      @Member.Length(min = 1, max = 1024) String marker) {}

  /**
   * RotationsListEntry; of the import-only members only ImportState is set (Keyhaven keeps one
   * expiration per key, in DescribeKey, and no KeyMaterialDescription).
   */
  public record Entry(
      String keyId,
      String keyMaterialId,
      String keyMaterialState,
      Instant rotationDate,
      String rotationType,
      String importState) {}

  public record Response(List<Entry> rotations, String nextMarker, boolean truncated) {}

  private final KeyResolver resolver;
  private final KeyRepository keys;

  ListKeyRotations(KeyResolver resolver, KeyRepository keys) {
    this.resolver = resolver;
    this.keys = keys;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
    int afterVersion = afterVersion(request.marker());
    boolean rotationsOnly = !ALL_KEY_MATERIAL.equals(request.includeKeyMaterial());
    return resolver
        .resolve(context, KmsAction.LIST_KEY_ROTATIONS, request.keyId(), false, Conditions.none())
        .map(key -> key.requireStateFor(KmsAction.LIST_KEY_ROTATIONS))
        .chain(
            key ->
                keys.listVersions(key.keyId(), afterVersion, rotationsOnly, limit + 1)
                    .map(versions -> page(key, versions, limit)));
  }

  private static Response page(KmsKey key, List<KeyMaterialVersion> found, int limit) {
    boolean truncated = found.size() > limit;
    List<KeyMaterialVersion> page = truncated ? found.subList(0, limit) : found;
    List<Entry> entries = page.stream().map(v -> entry(key, v)).toList();
    String next =
        truncated ? Markers.encode(Integer.toString(page.get(page.size() - 1).version())) : null;
    return new Response(entries, next, truncated);
  }

  private static Entry entry(KmsKey key, KeyMaterialVersion version) {
    boolean rotated = version.rotationType() != null;
    String state =
        version.version() > key.currentVersion()
            ? "PENDING_ROTATION"
            : version.version() == key.currentVersion() ? "CURRENT" : "NON_CURRENT";
    return new Entry(
        key.keyId().toString(),
        version.keyMaterialId(),
        state,
        rotated ? version.createdAt() : null,
        rotated ? version.rotationType().wireName() : null,
        key.origin() != Origin.EXTERNAL
            ? null
            : version.imported() ? "IMPORTED" : "PENDING_IMPORT");
  }

  /** The last version of the previous page; a marker that is not one is InvalidMarkerException. */
  private static int afterVersion(String marker) {
    String decoded = Markers.decode(marker);
    if (decoded == null) {
      return 0;
    }
    try {
      int version = Integer.parseInt(decoded);
      if (version < 1) {
        throw Markers.invalid();
      }
      return version;
    } catch (NumberFormatException e) {
      throw Markers.invalid();
    }
  }
}
