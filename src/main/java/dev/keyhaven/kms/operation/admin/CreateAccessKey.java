package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.xks.XksKeyStore;
import dev.keyhaven.kms.operation.Action;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.Member;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.port.AccessKeyRepository;
import dev.keyhaven.kms.operation.port.AccessKeyRepository.StoredAccessKey;
import dev.keyhaven.kms.operation.port.RandomSource;
import dev.keyhaven.kms.operation.port.SecretWrapping;
import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Keyhaven extension {@code KeyhavenAdmin.CreateAccessKey}: a SigV4 access key pair for a principal
 * of the caller's account (account root only). As with IAM CreateAccessKey, the secret is returned
 * this once; Keyhaven keeps it only wrapped under the root key.
 */
@Action(KmsAction.CREATE_ACCESS_KEY)
@ApplicationScoped
public class CreateAccessKey
    implements KmsOperation<CreateAccessKey.Request, CreateAccessKey.Response> {
  static final int MAX_KEYS_PER_PRINCIPAL = 10;
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  public record Request(@Member.Required @Member.Length(min = 1, max = 2048) String principalArn) {}

  public record AccessKey(
      String accessKeyId, String secretAccessKey, String principalArn, Instant createDate) {}

  public record Response(AccessKey accessKey) {}

  private final AccessKeyRepository accessKeys;
  private final RandomSource random;
  private final SecretWrapping secrets;
  private final Transactions transactions;

  CreateAccessKey(
      AccessKeyRepository accessKeys,
      RandomSource random,
      SecretWrapping secrets,
      Transactions transactions) {
    this.accessKeys = accessKeys;
    this.random = random;
    this.secrets = secrets;
    this.transactions = transactions;
  }

  @Override
  public Uni<Response> execute(RequestContext context, Request request) {
    String account =
        AccountRoot.requireCallerIsRootOf(
            context, KmsAction.CREATE_ACCESS_KEY, request.principalArn());
    if (XksKeyStore.isStorePrincipal(request.principalArn())) {
      // docs/xks.md: a key store's credentials come from its own operations only.
      throw KmsException.validation(
          "Access keys of an external key store's principal are managed with"
              + " KeyhavenAdmin.CreateXksKeyStore and RotateXksKeyStoreCredential.");
    }
    String accessKeyId = newAccessKeyId(random);
    String secret = Base64.getEncoder().encodeToString(random.randomBytes(30));
    SecretBytes secretBytes = SecretBytes.adopt(secret.getBytes(StandardCharsets.US_ASCII));
    byte[] wrapped;
    try {
      wrapped =
          secrets.wrapSecret(
              StoredAccessKey.purpose(accessKeyId, account, request.principalArn()), secretBytes);
    } finally {
      secretBytes.wipe();
    }
    StoredAccessKey stored =
        new StoredAccessKey(
            accessKeyId, account, request.principalArn(), wrapped, context.receivedAt());
    // The count and the insert run under a per-principal lock held to the end of the
    // transaction, so concurrent calls for one principal cannot both pass the quota check.
    return transactions
        .inTransaction(
            () ->
                accessKeys
                    .lockPrincipal(account, request.principalArn())
                    .chain(() -> accessKeys.list(account, request.principalArn()))
                    .chain(
                        existing -> {
                          if (existing.size() >= MAX_KEYS_PER_PRINCIPAL) {
                            throw new KmsException(
                                ErrorCode.LIMIT_EXCEEDED,
                                "Cannot exceed quota for AccessKeysPerPrincipal: "
                                    + MAX_KEYS_PER_PRINCIPAL);
                          }
                          return accessKeys.insert(stored);
                        }))
        .map(
            ignored ->
                new Response(
                    new AccessKey(
                        accessKeyId, secret, request.principalArn(), context.receivedAt())));
  }

  /**
   * A new access key id: AKIA and 16 characters of RFC 4648 base32 from 10 random bytes (20
   * characters of A-Z and 2-7, as AWS's and as the XKS proxy API requires).
   */
  public static String newAccessKeyId(RandomSource random) {
    return "AKIA" + base32(random.randomBytes(10));
  }

  /** 16 characters of RFC 4648 base32 from 10 bytes (AWS access key ids are AKIA + 16). */
  private static String base32(byte[] tenBytes) {
    StringBuilder out = new StringBuilder(16);
    long bits = 0;
    int count = 0;
    for (byte b : tenBytes) {
      bits = (bits << 8) | (b & 0xFF);
      count += 8;
      while (count >= 5) {
        out.append(BASE32[(int) (bits >>> (count - 5)) & 31]);
        count -= 5;
      }
    }
    return out.toString();
  }
}
