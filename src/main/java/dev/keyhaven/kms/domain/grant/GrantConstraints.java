package dev.keyhaven.kms.domain.grant;

import java.util.Locale;
import java.util.Map;

/**
 * A grant's encryption-context constraints (AWS KMS API Reference, {@code GrantConstraints}):
 * {@code EncryptionContextEquals} — the request's encryption context must be exactly these pairs;
 * {@code EncryptionContextSubset} — it must include these pairs (and may have more). Both may be
 * given; then both must hold. Either may be null (absent).
 *
 * <p>Case rule (API Reference, GrantConstraints): "in a grant constraint, the key in each key-value
 * pair is not case sensitive, but the value is case sensitive".
 */
public record GrantConstraints(
    Map<String, String> encryptionContextEquals, Map<String, String> encryptionContextSubset) {
  public static final GrantConstraints NONE = new GrantConstraints(null, null);

  public GrantConstraints {
    encryptionContextEquals =
        encryptionContextEquals == null ? null : Map.copyOf(encryptionContextEquals);
    encryptionContextSubset =
        encryptionContextSubset == null ? null : Map.copyOf(encryptionContextSubset);
  }

  public boolean isEmpty() {
    return encryptionContextEquals == null && encryptionContextSubset == null;
  }

  /** Whether a request with encryption context {@code context} (never null) satisfies these. */
  public boolean satisfiedBy(Map<String, String> context) {
    if (encryptionContextEquals != null
        && !(context.size() == encryptionContextEquals.size()
            && includes(context, encryptionContextEquals))) {
      return false;
    }
    return encryptionContextSubset == null || includes(context, encryptionContextSubset);
  }

  /**
   * The rule for grants created through a grant's CreateGrant operation (API Reference, CreateGrant
   * Constraints): the new grant's constraint must be "equally strict or stricter", i.e. every
   * encryption context it allows this one allows too.
   */
  public boolean atLeastAsStrictAs(GrantConstraints parent) {
    if (parent.encryptionContextEquals != null
        && (encryptionContextEquals == null || !satisfiesParent(encryptionContextEquals, parent))) {
      return false;
    }
    if (parent.encryptionContextSubset == null) {
      return true;
    }
    if (encryptionContextEquals != null) {
      return includes(encryptionContextEquals, parent.encryptionContextSubset);
    }
    return encryptionContextSubset != null
        && includes(encryptionContextSubset, parent.encryptionContextSubset);
  }

  private static boolean satisfiesParent(Map<String, String> childEquals, GrantConstraints parent) {
    return parent.satisfiedBy(childEquals);
  }

  /** Every pair of {@code required} is in {@code context}: key case-insensitive, value exact. */
  private static boolean includes(Map<String, String> context, Map<String, String> required) {
    for (Map.Entry<String, String> pair : required.entrySet()) {
      String key = pair.getKey().toLowerCase(Locale.ROOT);
      boolean found = false;
      for (Map.Entry<String, String> candidate : context.entrySet()) {
        if (candidate.getKey().toLowerCase(Locale.ROOT).equals(key)
            && candidate.getValue().equals(pair.getValue())) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }
}
