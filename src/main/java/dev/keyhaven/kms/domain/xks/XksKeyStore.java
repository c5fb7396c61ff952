package dev.keyhaven.kms.domain.xks;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A logical external key store (docs/xks.md): AWS KMS reaches it at {@code
 * <uriPrefix>/kms/xks/v1/...} and signs with its credential, an access key of the store's own
 * principal {@code arn:<partition>:iam::<account>:user/keyhaven-xks/<name>}. That principal does
 * nothing but call the XKS proxy API of this store: the KMS endpoint refuses it, and the XKS
 * endpoint accepts no other principal.
 */
public record XksKeyStore(
    UUID storeId, String accountId, String name, String principalArn, Instant creationDate) {
  /** Names: 1 to 64 letters, digits, hyphens and underscores. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** The IAM path of key store principals. */
  static final String PRINCIPAL_PATH = ":user/keyhaven-xks/";

  public XksKeyStore {
    Objects.requireNonNull(storeId, "storeId");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(principalArn, "principalArn");
  }

  /**
   * The path AWS KMS is configured with before {@code /kms/xks/v1} (its XksProxyUriPath without
   * that suffix): the store's id, so prefixes never collide across accounts and say nothing else.
   */
  public String uriPrefix() {
    return uriPrefixOf(storeId);
  }

  public static String uriPrefixOf(UUID storeId) {
    return "/keystores/" + storeId;
  }

  /** The store's principal ARN. */
  public static String principalArn(String partition, String accountId, String name) {
    return "arn:" + partition + ":iam::" + accountId + PRINCIPAL_PATH + name;
  }

  /** True for the principal of some key store (a credential that may call nothing but XKS). */
  public static boolean isStorePrincipal(String principalArn) {
    return principalArn != null
        && principalArn.startsWith("arn:")
        && principalArn.contains(":iam::")
        && principalArn.contains(PRINCIPAL_PATH);
  }
}
