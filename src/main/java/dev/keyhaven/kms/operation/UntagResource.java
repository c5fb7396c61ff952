package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.KmsAction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** AWS KMS UntagResource: removes tags by key; a tag key the key does not have is ignored. */
@Action(KmsAction.UNTAG_RESOURCE)
@ApplicationScoped
public class UntagResource implements KmsOperation<UntagResource.Request, NoResult> {

  public record Request(String keyId, List<String> tagKeys) {}

  private final KeyUpdates updates;

  UntagResource(KeyUpdates updates) {
    this.updates = updates;
  }

  @Override
  public Uni<NoResult> execute(RequestContext context, Request request) {
    Validator v =
        new Validator()
            .required("keyId", request.keyId())
            .required("tagKeys", request.tagKeys())
            .length("keyId", request.keyId(), 1, 2048);
    if (request.tagKeys() != null) {
      request.tagKeys().forEach(k -> v.required("tagKeys.member", k).length("tagKeys.member", k, 1, 128));
    }
    v.check();
    return updates
        .update(
            context,
            KmsAction.UNTAG_RESOURCE,
            request.keyId(),
            Conditions.none().withAll("aws:TagKeys", request.tagKeys()),
            key -> {
              Map<String, String> remaining = new LinkedHashMap<>(key.tags());
              request.tagKeys().forEach(remaining::remove);
              return remaining.size() == key.tags().size() ? key : key.withTags(remaining);
            })
        .replaceWith(NoResult.INSTANCE);
  }
}
