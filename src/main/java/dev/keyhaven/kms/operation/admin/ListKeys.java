package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.key.KmsKey;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Authorization;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.KeyRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/**
 * AWS KMS ListKeys: the caller's keys in this region, ordered by key id, Limit 1–1000 (default
 * 100), paged with Marker/NextMarker/Truncated. Keyset pagination: a page costs the same however
 * deep it is.
 */
@Action(KmsAction.LIST_KEYS)
@ApplicationScoped
public class ListKeys implements KmsOperation<ListKeys.Request, ListKeys.Response> {
  static final int DEFAULT_LIMIT = 100;

  public record Request(
      @Member.Range(min = 1, max = 1000) Integer limit,
      @Member.Length(min = 1, max = 1024) String marker) {}

  public record KeyListEntry(String keyId, String keyArn) {}

  public record Response(List<KeyListEntry> keys, String nextMarker, boolean truncated) {}

  private final KeyRepository keys;
  private final Authorization authorization;

  ListKeys(KeyRepository keys, Authorization authorization) {
    this.keys = keys;
    this.authorization = authorization;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    int limit = request.limit() == null ? DEFAULT_LIMIT : request.limit();
    UUID after = afterKeyId(request.marker());
    return authorization
        .require(context, KmsAction.LIST_KEYS, null, Conditions.none())
        .chain(() -> keys.list(context.accountId(), context.region(), after, limit + 1))
        .map(
            found -> {
              boolean truncated = found.size() > limit;
              List<KmsKey> page = truncated ? found.subList(0, limit) : found;
              List<KeyListEntry> entries =
                  page.stream()
                      .map(k -> new KeyListEntry(k.keyId().toString(), k.arn().toString()))
                      .toList();
              String next =
                  truncated ? Markers.encode(page.get(page.size() - 1).keyId().toString()) : null;
              return new Response(entries, next, truncated);
            });
  }

  private static UUID afterKeyId(String marker) {
    String decoded = Markers.decode(marker);
    if (decoded == null) {
      return null;
    }
    try {
      return UUID.fromString(decoded);
    } catch (IllegalArgumentException e) {
      throw Markers.invalid();
    }
  }
}
