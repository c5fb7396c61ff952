package dev.keyhaven.kms.domain.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of a {@code Principal} or {@code NotPrincipal} element (IAM User Guide, "AWS JSON
 * policy elements: Principal"): {@code "*"}, or an object with {@code AWS} and/or {@code Service}
 * entries, each a string or a non-empty array of strings.
 *
 * <p>AWS entries: {@code "*"}, a 12-digit account id, {@code arn:aws:iam::<acct>:root} (both name
 * the ACCOUNT), IAM user and role ARNs, and STS assumed-role and federated-user session ARNs. "You
 * cannot use a wildcard to match part of a principal name or ARN" (same page), so a {@code *} or
 * {@code ?} inside an ARN is malformed. Service entries are accepted and never match a caller.
 *
 * <p>Partitions: {@code arn:aws-cn:iam::A:root} names account A of the {@code aws-cn} partition,
 * which is not account A of {@code aws}; it matches only a caller of that partition. A bare account
 * id names the account in the caller's own partition.
 *
 * <p>Matching ({@link #match}): an account entry yields {@link Match#ACCOUNT} (the key policy
 * delegates to that account's identity policies, AWS KMS Developer Guide, "Default key policy");
 * {@code "*"}, the caller's exact ARN, or the role of an assumed-role session ({@code
 * arn:aws:iam::A:role/path/R} matches {@code arn:aws:sts::A:assumed-role/R/<any session>}) yield
 * {@link Match#DIRECT}. Immutable.
 */
final class Principals {
  private static final String NAME = "[\\w+=,.@-]+";
  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern ROOT = Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):root");
  private static final Pattern ROLE =
      Pattern.compile("arn:(aws[a-z-]*):iam::(\\d{12}):role/(?:" + NAME + "/)*(" + NAME + ")");
  private static final Pattern OTHER_ARN =
      Pattern.compile(
          "arn:aws[a-z-]*:(?:iam::\\d{12}:user/(?:"
              + NAME
              + "/)*"
              + NAME
              + "|sts::\\d{12}:(?:assumed-role/"
              + NAME
              + "/"
              + NAME
              + "|federated-user/"
              + NAME
              + "))");
  private static final Pattern SESSION =
      Pattern.compile("arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/(" + NAME + ")/" + NAME);
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");

  /** How a principal list relates to a caller. */
  enum Match {
    NONE,
    /** The caller's account is named: access is delegated to its identity policies. */
    ACCOUNT,
    /** {@code "*"}, the caller itself, or the caller session's role is named. */
    DIRECT
  }

  private final Map<String, List<String>> asWritten;
  private final boolean any;

  /** Accounts as {@code <partition>:<account>}; a bare account id as {@code *:<account>}. */
  private final Set<String> accounts = new HashSet<>();

  private final Set<String> arns = new HashSet<>();

  /** "arn:aws:sts::A:assumed-role/R/" for every role ARN listed. */
  private final Set<String> sessionPrefixes = new HashSet<>();

  private Principals(Map<String, List<String>> asWritten) {
    this.asWritten = asWritten;
    boolean star = false;
    for (String v : asWritten.getOrDefault("AWS", List.of())) {
      Matcher root = ROOT.matcher(v);
      Matcher role = ROLE.matcher(v);
      if (v.equals("*")) {
        star = true;
      } else if (ACCOUNT.matcher(v).matches()) {
        accounts.add("*:" + v);
      } else if (root.matches()) {
        accounts.add(root.group(1) + ":" + root.group(2));
      } else if (role.matches()) {
        arns.add(v);
        sessionPrefixes.add(
            "arn:"
                + role.group(1)
                + ":sts::"
                + role.group(2)
                + ":assumed-role/"
                + role.group(3)
                + "/");
      } else if (OTHER_ARN.matcher(v).matches()) {
        arns.add(v);
      } else {
        throw invalid();
      }
    }
    for (String v : asWritten.getOrDefault("Service", List.of())) {
      if (!SERVICE.matcher(v).matches()) {
        throw invalid();
      }
    }
    this.any = star;
  }

  /** Parses the element value; a defect is a {@code MalformedPolicyDocumentException}. */
  static Principals parse(Object element) {
    Map<String, List<String>> written = new LinkedHashMap<>();
    if ("*".equals(element)) {
      written.put("AWS", List.of("*"));
    } else if (element instanceof Map<?, ?> map && !map.isEmpty()) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String type = (String) e.getKey();
        if (!type.equals("AWS") && !type.equals("Service")) {
          throw invalid();
        }
        written.put(type, stringList(e.getValue()));
      }
    } else {
      throw invalid();
    }
    return new Principals(Collections.unmodifiableMap(written));
  }

  private static List<String> stringList(Object value) {
    List<String> out = new ArrayList<>();
    if (value instanceof String s) {
      out.add(s);
    } else if (value instanceof List<?> list && !list.isEmpty()) {
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw invalid();
        }
        out.add(s);
      }
    } else {
      throw invalid();
    }
    return List.copyOf(out);
  }

  private static RuntimeException invalid() {
    // The AWS KMS wording for this case (PutKeyPolicy, MalformedPolicyDocumentException).
    return Malformed.because("Policy contains a statement with one or more invalid principals.");
  }

  /** The element as written: principal type ({@code AWS}, {@code Service}) to its values. */
  Map<String, List<String>> asWritten() {
    return asWritten;
  }

  /** How this list (as a {@code Principal} element) matches the caller. */
  Match match(String callerArn, String callerAccount) {
    if (any || arns.contains(callerArn) || isSessionOfListedRole(callerArn)) {
      return Match.DIRECT;
    }
    return namesAccountOf(callerArn, callerAccount) ? Match.ACCOUNT : Match.NONE;
  }

  /** Whether the caller's account, in the caller's partition, is listed. */
  private boolean namesAccountOf(String callerArn, String callerAccount) {
    return accounts.contains("*:" + callerAccount)
        || accounts.contains(Principal.partitionOf(callerArn) + ":" + callerAccount);
  }

  /**
   * True when this list, used as {@code NotPrincipal}, exempts the caller: every entity the caller
   * acts as is listed — the session, its role and its account for an assumed-role session; the user
   * or role and its account otherwise; the account for the root user. IAM User Guide,
   * "NotPrincipal": "you must also specify the account ARN of the not-denied principal. Otherwise,
   * the policy might deny access to the entire account", and for sessions the role ARN too.
   */
  boolean exempts(String callerArn, String callerAccount) {
    if (any) {
      return true;
    }
    if (!namesAccountOf(callerArn, callerAccount)) {
      return false;
    }
    if (Principal.isAccountRootArn(callerArn)) {
      return true;
    }
    if (!arns.contains(callerArn)) {
      return false;
    }
    return !SESSION.matcher(callerArn).matches() || isSessionOfListedRole(callerArn);
  }

  private boolean isSessionOfListedRole(String callerArn) {
    if (sessionPrefixes.isEmpty() || !callerArn.startsWith("arn:")) {
      return false;
    }
    int lastSlash = callerArn.lastIndexOf('/');
    return lastSlash > 0 && sessionPrefixes.contains(callerArn.substring(0, lastSlash + 1));
  }
}
