package dev.keyhaven.kms.domain.policy;

/**
 * The IAM wildcard rules: {@code *} matches any run of characters (also none), {@code ?} exactly
 * one character (IAM User Guide, "IAM JSON policy elements: Action" and "Resource"; "String
 * condition operators", StringLike).
 *
 * <p>ARN matching follows "Amazon Resource Name (ARN) condition operators": "Each of the six
 * colon-delimited components of the ARN is checked separately and each can include multi-character
 * match wildcards (*) or single-character match wildcards (?)" — so a wildcard never spans a colon
 * of the first five components; the sixth (resource) component is the rest of the ARN and may
 * itself contain colons. The same segment rule is used for the Resource element.
 */
final class Wildcards {
  private Wildcards() {}

  /** Glob match of the whole {@code value}; {@code ignoreCase} compares case-insensitively. */
  static boolean matches(String pattern, String value, boolean ignoreCase) {
    int p = 0;
    int v = 0;
    int starP = -1;
    int starV = 0;
    // Iterative match with one backtrack point: O(|pattern| * |value|) worst case, no recursion.
    while (v < value.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        starP = p++;
        starV = v;
      } else if (p < pattern.length()
          && (pattern.charAt(p) == '?' || same(pattern.charAt(p), value.charAt(v), ignoreCase))) {
        p++;
        v++;
      } else if (starP >= 0) {
        p = starP + 1;
        v = ++starV;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }

  private static boolean same(char a, char b, boolean ignoreCase) {
    if (a == b) {
      return true;
    }
    return ignoreCase
        && (Character.toLowerCase(a) == Character.toLowerCase(b)
            || Character.toUpperCase(a) == Character.toUpperCase(b));
  }

  /** Splits an ARN into its six components, or returns null when it has fewer than six. */
  static String[] arnComponents(String arn) {
    String[] parts = arn.split(":", 6);
    return parts.length == 6 ? parts : null;
  }

  /** ArnLike semantics (case-sensitive, component by component); {@code pattern} is pre-split. */
  static boolean arnMatches(String[] pattern, String value) {
    String[] parts = arnComponents(value);
    if (parts == null) {
      return false;
    }
    for (int i = 0; i < 6; i++) {
      if (!matches(pattern[i], parts[i], false)) {
        return false;
      }
    }
    return true;
  }
}
