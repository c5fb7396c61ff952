package dev.keyhaven.kms.domain.policy;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IAM principal ARNs as they appear in key policies and as caller identities: the account root,
 * IAM users and roles, STS assumed-role and federated-user sessions (IAM User Guide, "IAM
 * identifiers").
 */
public final class PrincipalArn {
  private static final Pattern ARN =
      Pattern.compile(
          "^arn:aws[a-z-]*:(?:iam::(\\d{12}):(?:root|user/.+|role/.+)"
              + "|sts::(\\d{12}):(?:assumed-role/.+|federated-user/.+))$");
  private static final Pattern ROOT = Pattern.compile("^arn:aws[a-z-]*:iam::\\d{12}:root$");
  /** A partition name: {@code aws}, {@code aws-cn}, {@code aws-us-gov}, … */
  public static final Pattern PARTITION = Pattern.compile("^aws(-[a-z]+)*$");

  private PrincipalArn() {}

  /** The 12-digit account of {@code arn}, or empty when it is not a principal ARN. */
  public static Optional<String> accountOf(String arn) {
    if (arn == null || arn.length() > 2048) {
      return Optional.empty();
    }
    Matcher m = ARN.matcher(arn);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(m.group(1) != null ? m.group(1) : m.group(2));
  }

  /**
   * The 12-digit account of {@code arn} when it is a principal ARN of {@code partition}, else
   * empty: a principal of another partition belongs to no account of this one (IAM User Guide,
   * "IAM identifiers": the partition is part of the principal's identity).
   */
  public static Optional<String> accountOf(String arn, String partition) {
    return arn != null && arn.startsWith("arn:" + partition + ":") ? accountOf(arn) : Optional.empty();
  }

  /** The partition field of an ARN ({@code arn:<partition>:…}), or null when it has none. */
  public static String partitionOf(String arn) {
    if (arn == null || !arn.startsWith("arn:")) {
      return null;
    }
    int end = arn.indexOf(':', 4);
    return end < 0 ? null : arn.substring(4, end);
  }

  /** The root user of {@code accountId} in {@code partition}: {@code arn:<partition>:iam::<account>:root}. */
  public static String root(String partition, String accountId) {
    return "arn:" + partition + ":iam::" + accountId + ":root";
  }

  /** True when {@code arn} is an account's root user, {@code arn:aws:iam::<account>:root}. */
  public static boolean isAccountRoot(String arn) {
    return arn != null && arn.endsWith(":root") && ROOT.matcher(arn).matches();
  }
}
