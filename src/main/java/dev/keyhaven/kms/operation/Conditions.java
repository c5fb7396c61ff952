package dev.keyhaven.kms.operation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The request-specific condition keys an operation contributes to authorization (AWS KMS
 * Developer Guide, "AWS KMS condition keys"), e.g. {@code kms:EncryptionContext:<key>} or {@code
 * kms:RequestAlias}. Key names are case-insensitive, so they are stored lower-case; values keep
 * their case. The key-derived and caller-derived keys are added by {@link Authorization}.
 */
public final class Conditions {
  /** No request-specific condition keys (a new, empty instance: instances are mutable). */
  public static Conditions none() {
    return new Conditions();
  }

  private final Map<String, List<String>> values = new LinkedHashMap<>();

  public Conditions with(String key, String value) {
    if (value != null) {
      values.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
    }
    return this;
  }

  public Conditions withAll(String key, Iterable<String> list) {
    List<String> target = values.computeIfAbsent(key.toLowerCase(Locale.ROOT), k -> new ArrayList<>());
    list.forEach(target::add);
    return this;
  }

  /**
   * {@code kms:EncryptionContext:<key>} per pair and {@code kms:EncryptionContextKeys} (an empty
   * multi-valued key when the context is empty, which ForAllValues treats as true).
   */
  public static Conditions encryptionContext(Map<String, String> context) {
    Conditions c = new Conditions();
    List<String> keys = new ArrayList<>();
    if (context != null) {
      context.forEach(
          (k, v) -> {
            c.with("kms:EncryptionContext:" + k, v);
            keys.add(k);
          });
    }
    return c.withAll("kms:EncryptionContextKeys", keys);
  }

  /** {@code kms:RequestAlias} when the KeyId member names an alias (by name or alias ARN). */
  public Conditions requestAlias(String keyId) {
    if (keyId == null) {
      return this;
    }
    int at = keyId.indexOf("alias/");
    return at < 0 ? this : with("kms:RequestAlias", keyId.substring(at));
  }

  Map<String, List<String>> asMap() {
    return values;
  }
}
