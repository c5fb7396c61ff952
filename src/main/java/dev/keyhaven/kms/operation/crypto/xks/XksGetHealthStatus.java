package dev.keyhaven.kms.operation.crypto.xks;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.RandomSource;
import dev.keyhaven.kms.operation.port.XksCrypto;
import dev.keyhaven.kms.operation.port.XksCrypto.Sealed;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.util.List;
import java.util.UUID;

/**
 * XKS proxy API GetHealthStatus (aws-kms-xksproxy-api-spec): authenticated by the store's
 * credential, never subject to key policies (the spec excludes it from authorization), and deep —
 * an AES-GCM round trip under a throw-away key through the same FIPS code as Encrypt and Decrypt,
 * and, as for every request, a durable audit event in PostgreSQL before the answer — so ACTIVE
 * means an Encrypt sent next would be served. Keyhaven is one logical key manager: one fleet entry.
 */
@Action(KmsAction.XKS_GET_HEALTH_STATUS)
@ApplicationScoped
public class XksGetHealthStatus
    implements KmsOperation<XksGetHealthStatus.Request, XksGetHealthStatus.Response> {
  public record Request(String uriPrefix, RequestMetadata requestMetadata) {}

  public record EkmFleetDetail(String id, String model, String healthStatus) {}

  public record Response(
      int xksProxyFleetSize,
      String xksProxyVendor,
      String xksProxyModel,
      String ekmVendor,
      List<EkmFleetDetail> ekmFleetDetails) {}

  static final String VENDOR = "Keyhaven";
  private static final UUID PROBE_KEY = new UUID(0, 0);

  private final XksKeys keys;
  private final XksCrypto xks;
  private final RandomSource crypto;

  XksGetHealthStatus(XksKeys keys, XksCrypto xks, RandomSource crypto) {
    this.keys = keys;
    this.xks = xks;
    this.crypto = crypto;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    return keys.store(context, request.uriPrefix())
        .map(
            store ->
                new Response(
                    1,
                    VENDOR,
                    "Keyhaven XKS proxy API v1",
                    VENDOR,
                    List.of(
                        new EkmFleetDetail(
                            "keyhaven-" + context.region(),
                            "Keyhaven (BC-FIPS, approved-only mode)",
                            roundTrip() ? "ACTIVE" : "UNAVAILABLE"))));
  }

  /** True if a fresh key encrypts and decrypts a fresh value. */
  private boolean roundTrip() {
    SecretBytes material = crypto.newSymmetricMaterial();
    try {
      byte[] probe = crypto.randomBytes(32);
      Sealed sealed = xks.encrypt(PROBE_KEY, 1, material, probe, new byte[0]);
      byte[] opened =
          xks.decrypt(
              PROBE_KEY, 1, material, sealed.iv(), sealed.ciphertext(), sealed.tag(), new byte[0]);
      return MessageDigest.isEqual(probe, opened);
    } catch (RuntimeException e) {
      return false;
    } finally {
      material.wipe();
    }
  }
}
