package dev.keyhaven.kms.domain.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One statement of a policy (IAM User Guide, "IAM JSON policy element reference"): {@code Sid},
 * {@code Effect}, exactly one of {@code Principal}/{@code NotPrincipal} (key policies only),
 * exactly one of {@code Action}/{@code NotAction}, exactly one of {@code Resource}/{@code
 * NotResource}, and an optional {@code Condition}. Immutable; built only by {@link
 * PolicyDocument#parse}.
 *
 * <p>Actions match case-insensitively ("action names are case insensitive", "Action" page) with
 * {@code *}/{@code ?} wildcards; resources match as ARNs ({@link Wildcards}), case-sensitively,
 * {@code "*"} matching every resource including the key-less {@code "*"}.
 */
public final class Statement {
  /** The statement's effect. */
  public enum Effect {
    ALLOW,
    DENY
  }

  private static final Set<String> MEMBERS =
      Set.of(
          "Sid",
          "Effect",
          "Principal",
          "NotPrincipal",
          "Action",
          "NotAction",
          "Resource",
          "NotResource",
          "Condition");
  private static final Pattern ACTION = Pattern.compile("\\*|[A-Za-z0-9-]+:[A-Za-z0-9*?]+");

  private final String sid;
  private final Effect effect;
  private final Principals principals;
  private final boolean notPrincipal;
  private final List<String> actions;
  private final boolean notAction;
  private final List<String> resources;
  private final List<String[]> resourcePatterns;
  private final boolean anyResource;
  private final boolean notResource;
  private final List<Condition> conditions;

  private Statement(Map<?, ?> json, PolicyDocument.Kind kind) {
    for (Object member : json.keySet()) {
      if (!MEMBERS.contains(member)) {
        throw Malformed.because("Policy statement contains an unknown element: " + member);
      }
    }
    Object sidValue = json.get("Sid");
    if (json.containsKey("Sid") && !(sidValue instanceof String)) {
      throw Malformed.because("The Sid of a policy statement must be a string.");
    }
    sid = (String) sidValue;
    Object effectValue = json.get("Effect");
    if (effectValue == null) {
      throw Malformed.because("Policy statement is missing the required element Effect.");
    }
    if ("Allow".equals(effectValue)) {
      effect = Effect.ALLOW;
    } else if ("Deny".equals(effectValue)) {
      effect = Effect.DENY;
    } else {
      throw Malformed.because("Policy statement has an invalid Effect: it must be Allow or Deny.");
    }
    String principalMember = exactlyOne(json, "Principal", "NotPrincipal", false);
    if (kind == PolicyDocument.Kind.KEY_POLICY && principalMember == null) {
      throw Malformed.because("Policy contains a statement with no principal.");
    }
    if (kind == PolicyDocument.Kind.IDENTITY_POLICY && principalMember != null) {
      throw Malformed.because(
          "An identity-based policy must not specify a principal (" + principalMember + ").");
    }
    principals = principalMember == null ? null : Principals.parse(json.get(principalMember));
    notPrincipal = "NotPrincipal".equals(principalMember);

    String actionMember = exactlyOne(json, "Action", "NotAction", true);
    notAction = actionMember.equals("NotAction");
    List<String> written = strings(json.get(actionMember), actionMember);
    List<String> lowered = new ArrayList<>(written.size());
    for (String a : written) {
      if (!ACTION.matcher(a).matches()) {
        throw Malformed.because("Policy statement contains an invalid action: " + a);
      }
      lowered.add(a.toLowerCase(Locale.ROOT));
    }
    actions = List.copyOf(lowered);

    String resourceMember = exactlyOne(json, "Resource", "NotResource", true);
    notResource = resourceMember.equals("NotResource");
    resources = strings(json.get(resourceMember), resourceMember);
    List<String[]> patterns = new ArrayList<>();
    boolean star = false;
    for (String r : resources) {
      String[] parts = r.startsWith("arn:") ? Wildcards.arnComponents(r) : null;
      if (r.equals("*")) {
        star = true;
      } else if (parts == null || parts[2].isEmpty()) {
        throw Malformed.because("Policy statement contains an invalid resource: " + r);
      } else {
        patterns.add(parts);
      }
    }
    anyResource = star;
    resourcePatterns = List.copyOf(patterns);
    conditions =
        json.containsKey("Condition") ? Condition.parseBlock(json.get("Condition")) : List.of();
  }

  static Statement parse(Object json, PolicyDocument.Kind kind) {
    if (!(json instanceof Map<?, ?> map)) {
      throw Malformed.because("Each policy statement must be an object.");
    }
    return new Statement(map, kind);
  }

  private static String exactlyOne(Map<?, ?> json, String a, String notA, boolean required) {
    boolean hasA = json.containsKey(a);
    boolean hasNot = json.containsKey(notA);
    if (hasA && hasNot) {
      throw Malformed.because("Policy statement must not contain both " + a + " and " + notA + ".");
    }
    if (!hasA && !hasNot && required) {
      throw Malformed.because(
          "Policy statement is missing the required element " + a + " or " + notA + ".");
    }
    return hasA ? a : hasNot ? notA : null;
  }

  private static List<String> strings(Object value, String member) {
    if (value instanceof String s) {
      return List.of(s);
    }
    if (value instanceof List<?> list && !list.isEmpty()) {
      List<String> out = new ArrayList<>(list.size());
      for (Object o : list) {
        if (!(o instanceof String s)) {
          throw Malformed.because("The " + member + " element must contain only strings.");
        }
        out.add(s);
      }
      return List.copyOf(out);
    }
    throw Malformed.because(
        "The " + member + " element must be a string or a non-empty array of strings.");
  }

  public String sid() {
    return sid;
  }

  public Effect effect() {
    return effect;
  }

  /** Principal type to values as written; empty in identity policies. */
  public Map<String, List<String>> principals() {
    return principals == null ? Map.of() : principals.asWritten();
  }

  public boolean notPrincipal() {
    return notPrincipal;
  }

  /** The action patterns, lower-cased. */
  public List<String> actions() {
    return actions;
  }

  public boolean notAction() {
    return notAction;
  }

  public List<String> resources() {
    return resources;
  }

  public boolean notResource() {
    return notResource;
  }

  public List<Condition> conditions() {
    return conditions;
  }

  /**
   * How the statement's principal element relates to the caller (key policies). NotPrincipal is
   * read restrictively both ways, since the IAM User Guide only says AWS "might" validate the
   * account, role and session separately: a Deny applies unless every entity of the caller is
   * listed ({@link Principals#exempts}); an Allow applies only when the caller is not named in any
   * way (neither itself, nor its role, nor its account).
   */
  Principals.Match principalMatch(String callerArn, String callerAccount) {
    if (!notPrincipal) {
      return principals.match(callerArn, callerAccount);
    }
    boolean excluded =
        effect == Effect.DENY
            ? principals.exempts(callerArn, callerAccount)
            : principals.match(callerArn, callerAccount) != Principals.Match.NONE;
    return excluded ? Principals.Match.NONE : Principals.Match.DIRECT;
  }

  boolean actionMatches(String lowerCaseAction) {
    boolean listed = false;
    for (String pattern : actions) {
      if (Wildcards.matches(pattern, lowerCaseAction, false)) {
        listed = true;
        break;
      }
    }
    return listed != notAction;
  }

  boolean resourceMatches(String resource) {
    boolean listed = anyResource;
    for (int i = 0; !listed && i < resourcePatterns.size(); i++) {
      listed = Wildcards.arnMatches(resourcePatterns.get(i), resource);
    }
    return listed != notResource;
  }

  boolean conditionsHold(Map<String, List<String>> context) {
    for (Condition c : conditions) {
      if (!c.holds(context)) {
        return false;
      }
    }
    return true;
  }
}
