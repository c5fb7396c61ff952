package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.grant.GrantToken;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Collects member-constraint violations and reports them the way AWS does: {@code 1 validation
 * error detected: Value 'x' at 'keyId' failed to satisfy constraint: Member must have length less
 * than or equal to 2048} (several joined by {@code "; "}). Values of sensitive members (plaintext,
 * blobs) are left out: {@code Value at 'plaintext' failed to satisfy constraint: …}. Member names
 * are the lowerCamel form of the AWS member, as AWS prints them. An echoed value longer than
 * {@value #MAX_SHOWN} characters is cut there and marked with {@code ...}, so a hostile 1 MB value
 * is not sent back, logged and audited in full (docs/reliability.md, scenario 6).
 */
public final class Validator {
  /** The most characters of a member's value a message repeats. */
  public static final int MAX_SHOWN = 256;

  private final List<String> errors = new ArrayList<>();
  private List<String> grantTokens = List.of();

  public Validator required(String member, Object value) {
    if (value == null) {
      errors.add(
          "Value null at '" + member + "' failed to satisfy constraint: Member must not be null");
    }
    return this;
  }

  /** Length of a string member; null passes (combine with {@link #required}). */
  public Validator length(String member, String value, int min, int max) {
    if (value != null) {
      checkLength("Value '" + shown(value) + "' at '" + member + "'", value.length(), min, max);
    }
    return this;
  }

  /**
   * As {@link #length}, echoing up to {@code shownUpTo} characters of the value: AWS echoes a
   * too-long tag key or value whole, and the larger cut still bounds what a hostile value sends
   * back.
   */
  public Validator length(String member, String value, int min, int max, int shownUpTo) {
    if (value != null) {
      String shown = value.length() <= shownUpTo ? value : value.substring(0, shownUpTo) + "...";
      checkLength("Value '" + shown + "' at '" + member + "'", value.length(), min, max);
    }
    return this;
  }

  /** Length of a blob member whose value must not be echoed. */
  public Validator blobLength(String member, byte[] value, int min, int max) {
    if (value != null) {
      checkLength("Value at '" + member + "'", value.length, min, max);
    }
    return this;
  }

  /** Number of entries of a list or map member. */
  public Validator size(String member, Collection<?> value, int min, int max) {
    if (value != null) {
      checkLength("Value '" + shown(value) + "' at '" + member + "'", value.size(), min, max);
    }
    return this;
  }

  public Validator range(String member, Integer value, int min, int max) {
    if (value != null) {
      String prefix =
          "Value '" + shown(value) + "' at '" + member + "' failed to satisfy constraint: ";
      if (value < min) {
        errors.add(prefix + "Member must have value greater than or equal to " + min);
      } else if (value > max) {
        errors.add(prefix + "Member must have value less than or equal to " + max);
      }
    }
    return this;
  }

  public Validator oneOf(String member, String value, List<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      errors.add(
          "Value '"
              + shown(value)
              + "' at '"
              + member
              + "' failed to satisfy constraint: Member must satisfy enum value set: "
              + allowed);
    }
    return this;
  }

  public Validator pattern(String member, String value, Pattern pattern, String patternText) {
    if (value != null && !pattern.matcher(value).matches()) {
      errors.add(
          "Value '"
              + shown(value)
              + "' at '"
              + member
              + "' failed to satisfy constraint: Member must satisfy regular expression pattern: "
              + patternText);
    }
    return this;
  }

  /**
   * Grant tokens: at most 10, each 1–8192 characters (API Reference, GrantTokenList); once the
   * members are valid, {@link #check} also requires each to be a Keyhaven grant token
   * (InvalidGrantTokenException otherwise).
   */
  public Validator grantTokens(List<String> tokens) {
    size("grantTokens", tokens, 0, 10);
    if (tokens != null) {
      grantTokens = tokens;
      for (String token : tokens) {
        if (token == null || token.isEmpty() || token.length() > 8192) {
          errors.add(
              "Value at 'grantTokens' failed to satisfy constraint: Member must satisfy"
                  + " constraint: [Member must have length less than or equal to 8192, Member"
                  + " must have length greater than or equal to 1]");
          break;
        }
      }
    }
    return this;
  }

  /**
   * Encryption context: keys and values are strings; neither may be null; at most {@value
   * #MAX_CONTEXT_BYTES} pairs, each key and value at most {@value #MAX_CONTEXT_BYTES} bytes of
   * UTF-8 — the bounds of its serialized form ({@link
   * dev.keyhaven.kms.domain.crypto.EncryptionContext}), the AWS Encryption SDK's, so a context
   * beyond them is the caller's ValidationException, never an internal error.
   */
  public Validator encryptionContext(String member, Map<String, String> context) {
    if (context == null) {
      return this;
    }
    boolean tooLarge = context.size() > MAX_CONTEXT_BYTES;
    for (Map.Entry<String, String> e : context.entrySet()) {
      if (e.getValue() == null) {
        errors.add(
            "Value null at '"
                + member
                + "."
                + e.getKey()
                + "' failed to satisfy constraint: Member must not be null");
      } else if (overContextBound(e.getKey()) || overContextBound(e.getValue())) {
        tooLarge = true;
      }
    }
    if (tooLarge) {
      errors.add(
          "Value at '"
              + member
              + "' failed to satisfy constraint: Member must have at most "
              + MAX_CONTEXT_BYTES
              + " entries, each key and value at most "
              + MAX_CONTEXT_BYTES
              + " bytes in UTF-8");
    }
    return this;
  }

  /** The largest encryption context: entries, and UTF-8 bytes of each key and value. */
  static final int MAX_CONTEXT_BYTES = 0xFFFF;

  /** Whether {@code s} has more than {@value #MAX_CONTEXT_BYTES} bytes of UTF-8. */
  private static boolean overContextBound(String s) {
    return 3L * s.length() > MAX_CONTEXT_BYTES
        && s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_CONTEXT_BYTES;
  }

  /** Adds a free-form violation (AWS also reports some rules without the "Value … at" form). */
  public Validator fail(String message) {
    errors.add(message);
    return this;
  }

  /**
   * A timestamp member (AWS JSON: epoch seconds, possibly fractional) as an Instant, to the
   * millisecond; null when absent.
   */
  public static java.time.Instant timestamp(String member, java.math.BigDecimal epochSeconds) {
    if (epochSeconds == null) {
      return null;
    }
    try {
      return java.time.Instant.ofEpochMilli(
          epochSeconds
              .movePointRight(3)
              .setScale(0, java.math.RoundingMode.FLOOR)
              .longValueExact());
    } catch (ArithmeticException | java.time.DateTimeException e) {
      throw KmsException.validation(
          "1 validation error detected: Value at '"
              + member
              + "' failed to satisfy constraint:"
              + " Member must be a timestamp in epoch seconds");
    }
  }

  /**
   * The ValidationException for a string member of {@code length} characters over {@code max},
   * given only the start of its value (the codec refuses such a value before it becomes a String).
   */
  public static KmsException overLength(String member, CharSequence start, int length, int max) {
    Validator validator = new Validator();
    validator.checkLength("Value '" + shown(start) + "' at '" + member + "'", length, 0, max);
    return KmsException.validation("1 validation error detected: " + validator.errors.get(0));
  }

  /** Throws ValidationException listing every violation, if there is any. */
  public void check() {
    if (errors.isEmpty()) {
      grantTokens.forEach(GrantToken::parse);
      return;
    }
    String count = errors.size() == 1 ? "1 validation error" : errors.size() + " validation errors";
    throw KmsException.validation(count + " detected: " + String.join("; ", errors));
  }

  /** The value as a message shows it: at most {@link #MAX_SHOWN} characters, then "...". */
  static String shown(Object value) {
    String text = String.valueOf(value);
    return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
  }

  private void checkLength(String subject, int length, int min, int max) {
    if (length < min) {
      errors.add(
          subject
              + " failed to satisfy constraint: Member must have length greater than or equal to "
              + min);
    } else if (length > max) {
      errors.add(
          subject
              + " failed to satisfy constraint: Member must have length less than or equal to "
              + max);
    }
  }
}
