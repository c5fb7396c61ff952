package dev.keyhaven.kms.domain.policy;

/**
 * The key policy CreateKey stores when the request has none (AWS KMS Developer Guide, "Default key
 * policy"): the account root gets {@code kms:*}, which also lets the account's identity policies
 * grant access.
 */
public final class DefaultKeyPolicy {
  private DefaultKeyPolicy() {}

  /** The default policy of a key of {@code accountId} in {@code partition}. */
  public static String forAccount(String partition, String accountId) {
    return "{\n"
        + "  \"Version\" : \"2012-10-17\",\n"
        + "  \"Id\" : \"key-default-1\",\n"
        + "  \"Statement\" : [ {\n"
        + "    \"Sid\" : \"Enable IAM User Permissions\",\n"
        + "    \"Effect\" : \"Allow\",\n"
        + "    \"Principal\" : {\n"
        + "      \"AWS\" : \""
        + Principal.root(partition, accountId).arn()
        + "\"\n"
        + "    },\n"
        + "    \"Action\" : \"kms:*\",\n"
        + "    \"Resource\" : \"*\"\n"
        + "  } ]\n"
        + "}";
  }
}
