package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.domain.xks.XksKeyStore;
import dev.keyhaven.kms.domain.xks.XksKeyUsage;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.Validator;
import dev.keyhaven.kms.operation.port.XksKeyStoreRepository;
import dev.keyhaven.kms.operation.port.XksKeyStoreRepository.XksKey;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Keyhaven extension {@code KeyhavenAdmin.CreateXksKey}: a Keyhaven symmetric key (CreateKey, with
 * its authorization, audit resources and wrapped material) marked for a key store with an XKS key
 * usage — any subset of ENCRYPT and DECRYPT, the empty one included. Its key id is the external key
 * id AWS KMS's CreateKey takes as XksKeyId. Without a {@code Policy}, its key policy is the default
 * one plus a statement letting the store's credential call the XKS operations; a policy given
 * replaces both (docs/xks.md).
 */
@Action(KmsAction.CREATE_XKS_KEY)
@ApplicationScoped
public class CreateXksKey implements KmsOperation<CreateXksKey.Request, CreateXksKey.Response> {
  public record Request(
      String keyStoreName, List<String> keyUsage, String description, String policy) {}

  public record Response(String keyId, String keyArn, List<String> keyUsage) {}

  private final XksAdmin admin;
  private final XksKeyStoreRepository stores;
  private final CreateKey createKey;

  CreateXksKey(XksAdmin admin, XksKeyStoreRepository stores, CreateKey createKey) {
    this.admin = admin;
    this.stores = stores;
    this.createKey = createKey;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    XksAdmin.validateName("keyStoreName", request.keyStoreName());
    new Validator()
        .required("keyUsage", request.keyUsage())
        .size("keyUsage", request.keyUsage(), 0, 2)
        .check();
    Set<XksKeyUsage> usage = XksKeyUsage.parse(request.keyUsage());
    if (usage == null) {
      new Validator()
          .fail(
              "Value '"
                  + request.keyUsage()
                  + "' at 'keyUsage' failed to satisfy constraint: Member"
                  + " must be a subset of [ENCRYPT, DECRYPT]")
          .check();
    }
    return admin
        .require(context, KmsAction.CREATE_XKS_KEY)
        .chain(() -> admin.named(context, request.keyStoreName()))
        .call(store -> admin.lock(context, store, false))
        .chain(
            store ->
                createKey
                    .execute(
                        context,
                        new CreateKey.Request(
                            request.policy() != null ? request.policy() : policy(context, store),
                            request.description(),
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null))
                    .chain(
                        created -> {
                          UUID keyId = UUID.fromString(created.keyMetadata().keyId());
                          return stores
                              .insertKey(new XksKey(keyId, store.storeId(), usage))
                              .replaceWith(
                                  new Response(
                                      keyId.toString(),
                                      created.keyMetadata().arn(),
                                      XksKeyUsage.wire(usage)));
                        }));
  }

  /** The default key policy and the store's use of the key through the XKS proxy API. */
  static String policy(RequestContext context, XksKeyStore store) {
    return "{\"Version\":\"2012-10-17\",\"Id\":\"keyhaven-xks-1\",\"Statement\":["
        + "{\"Sid\":\"Enable IAM User Permissions\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\""
        + Principal.root(context.partition(), context.accountId()).arn()
        + "\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},"
        + "{\"Sid\":\"Allow AWS KMS through the external key store\",\"Effect\":\"Allow\","
        + "\"Principal\":{\"AWS\":\""
        + store.principalArn()
        + "\"},"
        + "\"Action\":[\"xks:GetKeyMetadata\",\"xks:Encrypt\",\"xks:Decrypt\"],\"Resource\":\"*\"}]}";
  }
}
