package dev.keyhaven.kms.domain.key;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.util.regex.Pattern;

/**
 * An alias name such as {@code alias/ExampleAlias}.
 *
 * <p>AWS KMS API Reference, CreateAlias AliasName: 1–256 characters of {@code [a-zA-Z0-9:/_-]},
 * must begin with {@code alias/}, and {@code alias/aws/} is reserved for AWS managed keys.
 */
public record AliasName(String value) {
  public static final String PREFIX = "alias/";
  private static final String RESERVED_PREFIX = "alias/aws/";
  public static final String PATTERN = "^[a-zA-Z0-9:/_-]+$";
  private static final Pattern ALLOWED = Pattern.compile(PATTERN);

  /**
   * Checks a name a caller wants to create or point at a key (CreateAlias, UpdateAlias,
   * DeleteAlias). Length, character pattern and the missing {@code alias/} prefix are
   * ValidationExceptions; an empty name after the prefix and the reserved {@code alias/aws/} prefix
   * are InvalidAliasNameException.
   */
  public static AliasName forWrite(String value) {
    if (!value.startsWith(PREFIX)) {
      // AWS answers ValidationException here (e.g. aws-controllers-k8s issue #1878).
      throw new KmsException(
          ErrorCode.VALIDATION,
          "Alias must start with the prefix \"alias/\". Please see"
              + " https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
    }
    if (value.length() == PREFIX.length()) {
      throw new KmsException(ErrorCode.INVALID_ALIAS_NAME, "Alias name must not be empty.");
    }
    if (value.startsWith(RESERVED_PREFIX)) {
      throw new KmsException(
          ErrorCode.INVALID_ALIAS_NAME, "Alias names beginning with alias/aws/ are reserved.");
    }
    return new AliasName(value);
  }

  /** True when the value has only the characters an alias name may hold. */
  public static boolean hasAllowedCharacters(String value) {
    return ALLOWED.matcher(value).matches();
  }

  /** The alias ARN, {@code arn:<partition>:kms:<region>:<account>:alias/…}. */
  public String arn(String partition, String region, String accountId) {
    return "arn:" + partition + ":kms:" + region + ":" + accountId + ":" + value;
  }

  /**
   * The alias's row key in storage: its ARN as Keyhaven has always stored it ({@code arn:aws:…}),
   * whatever partition the service serves, so stored rows keep their keys. Never shown to a caller;
   * {@link #arn} is the alias ARN.
   */
  public String storageKey(String region, String accountId) {
    return "arn:aws:kms:" + region + ":" + accountId + ":" + value;
  }

  @Override
  public String toString() {
    return value;
  }
}
