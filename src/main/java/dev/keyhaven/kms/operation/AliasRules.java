package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.AliasName;
import java.util.regex.Pattern;

/** Member checks shared by the alias operations (AWS KMS API Reference, AliasNameType). */
public final class AliasRules {
  private static final Pattern NAME = Pattern.compile(AliasName.PATTERN);

  /** Up to 50 aliases per key (AWS KMS quotas, "Aliases per KMS key"). */
  public static final int MAX_ALIASES_PER_KEY = 50;

  private AliasRules() {}

  /** AliasName's rules: required, 1–256 characters, AliasNameType's pattern. */
  public static Validator name(Validator v, String aliasName) {
    return v.required("aliasName", aliasName)
        .length("aliasName", aliasName, 1, 256)
        .pattern("aliasName", aliasName, NAME, AliasName.PATTERN);
  }
}
