package dev.keyhaven.kms.domain.policy;

import java.math.BigDecimal;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The base condition operators of the IAM policy language (IAM User Guide, "IAM JSON policy
 * elements: Condition operators"), without the {@code IfExists} suffix and the {@code
 * ForAnyValue:}/{@code ForAllValues:} prefixes, which {@link Condition} handles.
 *
 * <p>Each operator compiles a policy value once ({@link #compile}, null when the value is not of
 * the operator's type, which makes the policy malformed), parses a request value ({@link
 * #parseRequest}, null when it is not of the type: such a value matches no policy value) and tests
 * the POSITIVE relation ({@link #matches}); a {@link #negated} operator is the complement of its
 * positive twin, applied by {@link Condition}. Value rules, per that page:
 *
 * <ul>
 *   <li>String*: StringEquals/StringLike case-sensitive, *IgnoreCase case-insensitive; StringLike
 *       takes {@code *} and {@code ?}.
 *   <li>Numeric*: integers or decimals, compared as {@link BigDecimal} (so {@code 1.0 == 1}).
 *   <li>Date*: W3C ISO 8601 date or date-time (no zone = UTC) or epoch seconds.
 *   <li>Bool: {@code true}/{@code false}, case-insensitive. BinaryEquals: base64, compared as
 *       bytes.
 *   <li>IpAddress/NotIpAddress: IPv4/IPv6 CIDR or single address ({@link IpCidr}).
 *   <li>Arn*: ArnEquals and ArnLike are the same — "Each of the six colon-delimited components of
 *       the ARN is checked separately", case-sensitive, wildcards within a component.
 *   <li>Null: {@code true}/{@code false}; evaluated on the key's presence, never on its values.
 * </ul>
 */
enum ConditionOperator {
  STRING_EQUALS("StringEquals", Type.STRING, Cmp.EQ, false),
  STRING_NOT_EQUALS("StringNotEquals", Type.STRING, Cmp.EQ, true),
  STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", Type.STRING_IGNORE_CASE, Cmp.EQ, false),
  STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", Type.STRING_IGNORE_CASE, Cmp.EQ, true),
  STRING_LIKE("StringLike", Type.STRING_LIKE, Cmp.EQ, false),
  STRING_NOT_LIKE("StringNotLike", Type.STRING_LIKE, Cmp.EQ, true),
  NUMERIC_EQUALS("NumericEquals", Type.NUMERIC, Cmp.EQ, false),
  NUMERIC_NOT_EQUALS("NumericNotEquals", Type.NUMERIC, Cmp.EQ, true),
  NUMERIC_LESS_THAN("NumericLessThan", Type.NUMERIC, Cmp.LT, false),
  NUMERIC_LESS_THAN_EQUALS("NumericLessThanEquals", Type.NUMERIC, Cmp.LE, false),
  NUMERIC_GREATER_THAN("NumericGreaterThan", Type.NUMERIC, Cmp.GT, false),
  NUMERIC_GREATER_THAN_EQUALS("NumericGreaterThanEquals", Type.NUMERIC, Cmp.GE, false),
  DATE_EQUALS("DateEquals", Type.DATE, Cmp.EQ, false),
  DATE_NOT_EQUALS("DateNotEquals", Type.DATE, Cmp.EQ, true),
  DATE_LESS_THAN("DateLessThan", Type.DATE, Cmp.LT, false),
  DATE_LESS_THAN_EQUALS("DateLessThanEquals", Type.DATE, Cmp.LE, false),
  DATE_GREATER_THAN("DateGreaterThan", Type.DATE, Cmp.GT, false),
  DATE_GREATER_THAN_EQUALS("DateGreaterThanEquals", Type.DATE, Cmp.GE, false),
  BOOL("Bool", Type.BOOL, Cmp.EQ, false),
  BINARY_EQUALS("BinaryEquals", Type.BINARY, Cmp.EQ, false),
  IP_ADDRESS("IpAddress", Type.IP, Cmp.EQ, false),
  NOT_IP_ADDRESS("NotIpAddress", Type.IP, Cmp.EQ, true),
  ARN_EQUALS("ArnEquals", Type.ARN, Cmp.EQ, false),
  ARN_NOT_EQUALS("ArnNotEquals", Type.ARN, Cmp.EQ, true),
  ARN_LIKE("ArnLike", Type.ARN, Cmp.EQ, false),
  ARN_NOT_LIKE("ArnNotLike", Type.ARN, Cmp.EQ, true),
  NULL("Null", Type.BOOL, Cmp.EQ, false);

  private enum Type {
    STRING,
    STRING_IGNORE_CASE,
    STRING_LIKE,
    NUMERIC,
    DATE,
    BOOL,
    BINARY,
    IP,
    ARN
  }

  private enum Cmp {
    EQ,
    LT,
    LE,
    GT,
    GE
  }

  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?\\d{1,40}(\\.\\d{1,40})?([eE][+-]?\\d{1,4})?");
  private static final Pattern EPOCH = Pattern.compile("-?\\d{1,12}");

  final String awsName;
  private final Type type;
  private final Cmp cmp;

  /** True for the "Not" operators: the condition holds when the positive relation does not. */
  final boolean negated;

  ConditionOperator(String awsName, Type type, Cmp cmp, boolean negated) {
    this.awsName = awsName;
    this.type = type;
    this.cmp = cmp;
    this.negated = negated;
  }

  /** The operator named exactly {@code name} (AWS spells them case-sensitively), or null. */
  static ConditionOperator byName(String name) {
    for (ConditionOperator op : values()) {
      if (op.awsName.equals(name)) {
        return op;
      }
    }
    return null;
  }

  /** The policy value in its compiled form, or null when it is not valid for this operator. */
  Object compile(String policyValue) {
    return switch (type) {
      case STRING, STRING_LIKE -> policyValue;
      case STRING_IGNORE_CASE -> policyValue.toLowerCase(Locale.ROOT);
      case ARN -> Wildcards.arnComponents(policyValue);
      default -> parse(policyValue);
    };
  }

  /** The request value in comparable form, or null when it is not of this operator's type. */
  Object parseRequest(String requestValue) {
    return switch (type) {
      case STRING, STRING_LIKE, ARN -> requestValue;
      case STRING_IGNORE_CASE -> requestValue.toLowerCase(Locale.ROOT);
      case IP -> IpCidr.address(requestValue);
      default -> parse(requestValue);
    };
  }

  /** The positive relation: does the (parsed) request value satisfy the compiled policy value? */
  boolean matches(Object policy, Object request) {
    return switch (type) {
      case STRING, STRING_IGNORE_CASE -> policy.equals(request);
      case STRING_LIKE -> Wildcards.matches((String) policy, (String) request, false);
      case ARN -> Wildcards.arnMatches((String[]) policy, (String) request);
      case NUMERIC -> compare(((BigDecimal) request).compareTo((BigDecimal) policy));
      case DATE -> compare(((Instant) request).compareTo((Instant) policy));
      case BOOL -> policy.equals(request);
      case BINARY -> MessageDigest.isEqual((byte[]) policy, (byte[]) request);
      case IP -> ((IpCidr) policy).contains((byte[]) request);
    };
  }

  private boolean compare(int c) {
    return switch (cmp) {
      case EQ -> c == 0;
      case LT -> c < 0;
      case LE -> c <= 0;
      case GT -> c > 0;
      case GE -> c >= 0;
    };
  }

  private Object parse(String v) {
    switch (type) {
      case NUMERIC:
        return DECIMAL.matcher(v).matches() ? new BigDecimal(v) : null;
      case DATE:
        return date(v);
      case BOOL:
        return v.equalsIgnoreCase("true")
            ? Boolean.TRUE
            : v.equalsIgnoreCase("false") ? Boolean.FALSE : null;
      case BINARY:
        try {
          return v.isEmpty() ? null : Base64.getDecoder().decode(v);
        } catch (IllegalArgumentException e) {
          return null;
        }
      case IP:
        return IpCidr.parse(v);
      default:
        throw new IllegalStateException(type.name());
    }
  }

  /** ISO 8601 (W3C profile) date or date-time, or epoch seconds; null when neither. */
  static Instant date(String v) {
    if (v.isEmpty()) {
      return null;
    }
    if (EPOCH.matcher(v).matches()) {
      return Instant.ofEpochSecond(Long.parseLong(v));
    }
    try {
      if (v.length() == 10) {
        return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      char last = v.charAt(v.length() - 1);
      boolean zoned =
          last == 'Z' || last == 'z' || v.lastIndexOf('+') > 10 || v.lastIndexOf('-') > 10;
      return zoned
          ? OffsetDateTime.parse(v.replace('z', 'Z')).toInstant()
          : LocalDateTime.parse(v).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
