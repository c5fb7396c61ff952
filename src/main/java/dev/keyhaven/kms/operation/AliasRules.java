package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.AliasName;
import java.util.regex.Pattern;

/** Member checks shared by the alias operations (AWS KMS API Reference, AliasNameType). */
final class AliasRules {
  private static final Pattern NAME = Pattern.compile(AliasName.PATTERN);

  /** Up to 50 aliases per key (AWS KMS quotas, "Aliases per KMS key"). */
  static final int MAX_ALIASES_PER_KEY = 50;

  private AliasRules() {}

  static Validator name(Validator v, String aliasName) {
    return v.required("aliasName", aliasName)
        .length("aliasName", aliasName, 1, 256)
        .pattern("aliasName", aliasName, NAME, AliasName.PATTERN);
  }
}
