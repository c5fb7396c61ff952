package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.Conditions;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.Tags;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.TreeMap;

/**
 * AWS KMS ListResourceTags: the key's tags ordered by tag key, Limit 1–50 (default 50), paged by
 * Marker.
 */
@Action(KmsAction.LIST_RESOURCE_TAGS)
@ApplicationScoped
public class ListResourceTags
    implements KmsOperation<ListResourceTags.Request, ListResourceTags.Response> {
  static final int MAX_LIMIT = 50;

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Range(min = 1, max = MAX_LIMIT) Integer limit,
      @Member.Length(min = 1, max = 1024) String marker) {}

  public record Response(List<Tags.Tag> tags, String nextMarker, boolean truncated) {}

  private final KeyResolver resolver;

  ListResourceTags(KeyResolver resolver) {
    this.resolver = resolver;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    int limit = request.limit() == null ? MAX_LIMIT : request.limit();
    String after = Markers.decode(request.marker());
    return resolver
        .resolve(context, KmsAction.LIST_RESOURCE_TAGS, request.keyId(), false, Conditions.none())
        .map(
            key -> {
              TreeMap<String, String> sorted = new TreeMap<>(key.tags());
              var rest = after == null ? sorted : sorted.tailMap(after, false);
              List<Tags.Tag> page =
                  rest.entrySet().stream()
                      .limit(limit)
                      .map(e -> new Tags.Tag(e.getKey(), e.getValue()))
                      .toList();
              boolean truncated = rest.size() > limit;
              String next = truncated ? Markers.encode(page.get(page.size() - 1).tagKey()) : null;
              return new Response(page, next, truncated);
            });
  }
}
