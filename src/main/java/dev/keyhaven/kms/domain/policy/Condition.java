package dev.keyhaven.kms.domain.policy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One test of a statement's {@code Condition} element: an operator applied to one condition key and
 * its policy values (IAM User Guide, "IAM JSON policy elements: Condition"). A statement holds all
 * (operator, key) pairs of its Condition block; all must hold (AND), and one key's values are
 * alternatives (OR).
 *
 * <p>Condition key names are case-insensitive ("Condition key names are not case-sensitive", same
 * page), so {@link #key()} is lower-cased; this also makes the context-key part of {@code
 * kms:EncryptionContext:<context-key>} case-insensitive, as the AWS KMS Developer Guide describes.
 *
 * <p>A key is MISSING when the request has no entry for it or an empty list. Outcomes then, per
 * "Condition operators" ("If the key ... is not present in the request context, the values do not
 * match and the condition is false. If the policy condition requires that the key is not matched,
 * such as StringNotLike or ArnNotLike ... the condition is true"):
 *
 * <ul>
 *   <li>{@code ...IfExists} (any qualifier): true.
 *   <li>{@code Null}: {@code "true"} holds, {@code "false"} does not.
 *   <li>{@code ForAllValues:} true; {@code ForAnyValue:} false (both whatever the operator).
 *   <li>otherwise: true for the negated operators (StringNotEquals, StringNotEqualsIgnoreCase,
 *       StringNotLike, NumericNotEquals, DateNotEquals, NotIpAddress, ArnNotEquals, ArnNotLike),
 *       false for every other one (including Bool and BinaryEquals).
 * </ul>
 *
 * <p>With a present key and values R, policy values P: plain — positive operator: some r matches
 * some p; negated: no r matches any p. {@code ForAnyValue:} some r satisfies the operator against
 * P; {@code ForAllValues:} every r does (for a negated operator "r satisfies" means r matches no
 * p). Immutable.
 */
public final class Condition {
  private static final String ANY = "ForAnyValue:";
  private static final String ALL = "ForAllValues:";
  private static final String IF_EXISTS = "IfExists";
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9-]+:\\S.*");

  private enum Qualifier {
    NONE,
    ANY,
    ALL
  }

  private final String operator;
  private final String key;
  private final List<String> values;
  private final ConditionOperator op;
  private final Qualifier qualifier;
  private final boolean ifExists;
  private final Object[] compiled;

  private Condition(
      String operator,
      String key,
      List<String> values,
      ConditionOperator op,
      Qualifier qualifier,
      boolean ifExists,
      Object[] compiled) {
    this.operator = operator;
    this.key = key;
    this.values = values;
    this.op = op;
    this.qualifier = qualifier;
    this.ifExists = ifExists;
    this.compiled = compiled;
  }

  /** The operator as written, e.g. {@code ForAnyValue:StringLikeIfExists}. */
  public String operator() {
    return operator;
  }

  /** The condition key, lower-cased. */
  public String key() {
    return key;
  }

  /** The policy values as strings (JSON numbers and booleans in their JSON spelling). */
  public List<String> values() {
    return values;
  }

  /** Parses a whole Condition element value into its (operator, key) tests. */
  static List<Condition> parseBlock(Object element) {
    if (!(element instanceof Map<?, ?> block)) {
      throw Malformed.because("The Condition element must be an object.");
    }
    List<Condition> out = new ArrayList<>();
    for (Map.Entry<?, ?> opEntry : block.entrySet()) {
      String name = (String) opEntry.getKey();
      if (!(opEntry.getValue() instanceof Map<?, ?> keys) || keys.isEmpty()) {
        throw Malformed.because(
            "Condition operator " + name + " must map condition keys to values.");
      }
      for (Map.Entry<?, ?> keyEntry : keys.entrySet()) {
        out.add(parse(name, (String) keyEntry.getKey(), keyEntry.getValue()));
      }
    }
    return List.copyOf(out);
  }

  private static Condition parse(String name, String rawKey, Object rawValues) {
    Qualifier qualifier = Qualifier.NONE;
    String base = name;
    if (base.startsWith(ANY)) {
      qualifier = Qualifier.ANY;
      base = base.substring(ANY.length());
    } else if (base.startsWith(ALL)) {
      qualifier = Qualifier.ALL;
      base = base.substring(ALL.length());
    }
    boolean ifExists = base.endsWith(IF_EXISTS);
    if (ifExists) {
      base = base.substring(0, base.length() - IF_EXISTS.length());
    }
    ConditionOperator op = ConditionOperator.byName(base);
    if (op == null || (op == ConditionOperator.NULL && (ifExists || qualifier != Qualifier.NONE))) {
      throw Malformed.because("Policy contains an unknown condition operator: " + name);
    }
    if (!KEY.matcher(rawKey).matches()) {
      throw Malformed.because("Policy contains an invalid condition key: " + rawKey);
    }
    List<String> values = valueList(name, rawValues);
    Object[] compiled = new Object[values.size()];
    for (int i = 0; i < compiled.length; i++) {
      compiled[i] = op.compile(values.get(i));
      if (compiled[i] == null) {
        throw Malformed.because(
            "Policy contains an invalid value for condition operator "
                + name
                + ": "
                + values.get(i));
      }
    }
    return new Condition(
        name, rawKey.toLowerCase(Locale.ROOT), values, op, qualifier, ifExists, compiled);
  }

  private static List<String> valueList(String name, Object raw) {
    List<?> items = raw instanceof List<?> list ? list : raw == null ? List.of() : List.of(raw);
    if (items.isEmpty()) {
      throw Malformed.because("Condition operator " + name + " has a key without values.");
    }
    List<String> out = new ArrayList<>(items.size());
    for (Object o : items) {
      if (o instanceof String s) {
        out.add(s);
      } else if (o instanceof BigDecimal || o instanceof Boolean) {
        out.add(o.toString());
      } else {
        throw Malformed.because("Condition values must be strings, numbers or booleans.");
      }
    }
    return List.copyOf(out);
  }

  /** Evaluates against the request's condition values (keys lower-cased). */
  boolean holds(Map<String, List<String>> context) {
    List<String> requestValues = context.get(key);
    boolean missing = requestValues == null || requestValues.isEmpty();
    if (op == ConditionOperator.NULL) {
      for (Object expected : compiled) {
        if ((Boolean) expected == missing) {
          return true;
        }
      }
      return false;
    }
    if (missing) {
      if (ifExists) {
        return true;
      }
      return switch (qualifier) {
        case ALL -> true;
        case ANY -> false;
        case NONE -> op.negated;
      };
    }
    switch (qualifier) {
      case ANY:
        for (String r : requestValues) {
          if (satisfies(r)) {
            return true;
          }
        }
        return false;
      case ALL:
        for (String r : requestValues) {
          if (!satisfies(r)) {
            return false;
          }
        }
        return true;
      default:
        for (String r : requestValues) {
          if (matchesAny(r)) {
            return !op.negated;
          }
        }
        return op.negated;
    }
  }

  private boolean satisfies(String requestValue) {
    return matchesAny(requestValue) != op.negated;
  }

  private boolean matchesAny(String requestValue) {
    Object parsed = requestValue == null ? null : op.parseRequest(requestValue);
    if (parsed == null) {
      return false;
    }
    for (Object policyValue : compiled) {
      if (op.matches(policyValue, parsed)) {
        return true;
      }
    }
    return false;
  }
}
