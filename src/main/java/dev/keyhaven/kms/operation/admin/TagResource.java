package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.NoResult;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.Tags;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AWS KMS TagResource: adds tags or replaces the value of existing tag keys; at most 50 tags per
 * key (TagException {@code Too many tags}).
 */
@Action(KmsAction.TAG_RESOURCE)
@ApplicationScoped
public class TagResource implements KmsOperation<TagResource.Request, NoResult> {

  public record Request(
      @Member.Required @Member.KeyId KeyReference keyId, @Member.Required List<Tags.Tag> tags) {}

  private final KeyUpdates updates;

  TagResource(KeyUpdates updates) {
    this.updates = updates;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    Tags.validate(request.tags());
    return updates.change(
        context,
        KmsAction.TAG_RESOURCE,
        request.keyId(),
        Tags.requestConditions(request.tags()),
        key -> {
          Map<String, String> merged = new LinkedHashMap<>(key.tags());
          request.tags().forEach(t -> merged.put(t.tagKey(), t.tagValue()));
          if (merged.size() > Tags.MAX_TAGS_PER_KEY) {
            throw Tags.tooMany();
          }
          return key.withTags(merged);
        });
  }
}
