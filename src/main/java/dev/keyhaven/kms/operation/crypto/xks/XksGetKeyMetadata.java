package dev.keyhaven.kms.operation.crypto.xks;

import dev.keyhaven.kms.domain.key.KeyState;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.xks.XksKeyUsage;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * XKS proxy API GetKeyMetadata (aws-kms-xksproxy-api-spec): the key's spec ({@code AES_256}), its
 * XKS usage and status — {@code ENABLED} for an Enabled key, {@code DISABLED} in every other state
 * (AWS KMS then refuses to create or use its KMS key).
 */
@Action(KmsAction.XKS_GET_KEY_METADATA)
@ApplicationScoped
public class XksGetKeyMetadata
    implements KmsOperation<XksGetKeyMetadata.Request, XksGetKeyMetadata.Response> {
  public record Request(String uriPrefix, String externalKeyId, RequestMetadata requestMetadata) {}

  public record Response(String keySpec, List<String> keyUsage, String keyStatus) {}

  private final XksKeys keys;

  XksGetKeyMetadata(XksKeys keys) {
    this.keys = keys;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return keys.resolve(
            context,
            KmsAction.XKS_GET_KEY_METADATA,
            request.uriPrefix(),
            request.externalKeyId(),
            request.requestMetadata(),
            null)
        .map(
            resolved ->
                new Response(
                    "AES_256",
                    XksKeyUsage.wire(resolved.xksKey().usage()),
                    resolved.key().keyState() == KeyState.ENABLED ? "ENABLED" : "DISABLED"));
  }
}
