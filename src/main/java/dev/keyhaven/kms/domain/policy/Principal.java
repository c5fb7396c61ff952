package dev.keyhaven.kms.domain.policy;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IAM principal, parsed once from its ARN (IAM User Guide, "IAM identifiers"): an account's root
 * user, an IAM user or role, or an STS assumed-role or federated-user session. Authentication
 * yields one for every caller; everything downstream — the identity policy that applies, the
 * partition and account checks, the audit record's {@code userIdentity} — reads it from here
 * instead of taking the ARN apart again.
 *
 * @param arn the ARN as the credential named it, e.g. {@code arn:aws:iam::111122223333:role/App}
 * @param partition {@code aws}, {@code aws-cn}, {@code aws-us-gov}, …
 * @param accountId the 12-digit account
 * @param kind what sort of principal
 * @param resource the ARN's resource part: {@code root}, {@code user/<path/>name}, {@code
 *     role/<path/>name}, {@code assumed-role/<role>/<session>}, {@code federated-user/<name>}
 */
public record Principal(
    String arn, String partition, String accountId, Kind kind, String resource) {

  /** The principal types of an ARN, with CloudTrail's {@code userIdentity.type} for each. */
  public enum Kind {
    ROOT("Root"),
    USER("IAMUser"),
    ROLE("Role"),
    ASSUMED_ROLE("AssumedRole"),
    /**
     * Recorded as CloudTrail's {@code Unknown}: Keyhaven has no GetFederationToken session data.
     */
    FEDERATED_USER("Unknown");

    private final String cloudTrailType;

    Kind(String cloudTrailType) {
      this.cloudTrailType = cloudTrailType;
    }

    /** CloudTrail's {@code userIdentity.type}. */
    public String cloudTrailType() {
      return cloudTrailType;
    }
  }

  /** A partition name: {@code aws}, {@code aws-cn}, {@code aws-us-gov}, … */
  public static final Pattern PARTITION = Pattern.compile("^aws(-[a-z]+)*$");

  private static final Pattern ARN =
      Pattern.compile(
          "^arn:(aws[a-z-]*):(?:iam::(\\d{12}):(root|user/.+|role/.+)"
              + "|sts::(\\d{12}):(assumed-role/.+|federated-user/.+))$");

  /**
   * The principal {@code arn} names, or empty when it is none of the forms above (or longer than
   * the 2048 characters an ARN may have).
   */
  public static Optional<Principal> parse(String arn) {
    if (arn == null || arn.length() > 2048) {
      return Optional.empty();
    }
    Matcher m = ARN.matcher(arn);
    if (!m.matches()) {
      return Optional.empty();
    }
    boolean iam = m.group(2) != null;
    String resource = iam ? m.group(3) : m.group(5);
    Kind kind;
    if (resource.equals("root")) {
      kind = Kind.ROOT;
    } else if (resource.startsWith("user/")) {
      kind = Kind.USER;
    } else if (resource.startsWith("role/")) {
      kind = Kind.ROLE;
    } else if (resource.startsWith("assumed-role/")) {
      kind = Kind.ASSUMED_ROLE;
    } else {
      kind = Kind.FEDERATED_USER;
    }
    return Optional.of(
        new Principal(arn, m.group(1), iam ? m.group(2) : m.group(4), kind, resource));
  }

  /**
   * The principal of {@code arn} when it belongs to {@code partition}, else empty: a principal of
   * another partition belongs to no account of this one (the partition is part of its identity).
   */
  public static Optional<Principal> parse(String arn, String partition) {
    return parse(arn).filter(p -> p.partition.equals(partition));
  }

  /**
   * The root user of {@code accountId} in {@code partition}: {@code
   * arn:<partition>:iam::<account>:root}.
   */
  public static Principal root(String partition, String accountId) {
    return new Principal(
        "arn:" + partition + ":iam::" + accountId + ":root",
        partition,
        accountId,
        Kind.ROOT,
        "root");
  }

  /**
   * True when {@code arn} is an account's root user, {@code arn:<partition>:iam::<account>:root}
   * (for the policy engine, which takes the caller as written in its request).
   */
  public static boolean isAccountRootArn(String arn) {
    return arn != null
        && arn.endsWith(":root")
        && parse(arn).filter(Principal::isAccountRoot).isPresent();
  }

  /** The partition field of an ARN ({@code arn:<partition>:…}), or null when it has none. */
  public static String partitionOf(String arn) {
    if (arn == null || !arn.startsWith("arn:")) {
      return null;
    }
    int end = arn.indexOf(':', 4);
    return end < 0 ? null : arn.substring(4, end);
  }

  /** True for an account's root user. */
  public boolean isAccountRoot() {
    return kind == Kind.ROOT;
  }

  /**
   * The principal whose identity policy applies: an assumed-role session's role ({@code
   * arn:<p>:iam::<account>:role/<role>}), as IAM attaches policies to roles, not sessions; any
   * other principal itself.
   */
  public String identityPolicyOwner() {
    if (kind != Kind.ASSUMED_ROLE) {
      return arn;
    }
    String roleAndSession = resource.substring("assumed-role/".length());
    int slash = roleAndSession.indexOf('/');
    return slash <= 0
        ? arn
        : "arn:" + partition + ":iam::" + accountId + ":role/" + roleAndSession.substring(0, slash);
  }

  /**
   * The grantee values that name this principal: its ARN and, for an assumed-role session, its role
   * (AWS KMS Developer Guide, "Grants in AWS KMS": a role grantee also covers its sessions).
   */
  public List<String> granteeNames() {
    String owner = identityPolicyOwner();
    return owner.equals(arn) ? List.of(arn) : List.of(arn, owner);
  }

  /**
   * The identity policy owner of a principal ARN given as a parameter (PutPrincipalPolicy and its
   * siblings): {@link #identityPolicyOwner()} of its principal, or the string itself when it names
   * none.
   */
  public static String identityPolicyOwnerOf(String arn) {
    return parse(arn).map(Principal::identityPolicyOwner).orElse(arn);
  }

  /**
   * CloudTrail's {@code userIdentity.principalId}: the account for the root user, {@code
   * <role>:<session>} for an assumed-role session, the name for an IAM user or role, the resource
   * part otherwise.
   */
  public String principalId() {
    return switch (kind) {
      case ROOT -> accountId;
      case ASSUMED_ROLE -> resource.substring("assumed-role/".length()).replaceFirst("/", ":");
      case USER, ROLE -> resource.substring(resource.lastIndexOf('/') + 1);
      case FEDERATED_USER -> resource;
    };
  }
}
