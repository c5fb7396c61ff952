package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.AliasName;
import dev.keyhaven.kms.domain.key.KeyAlgorithms;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.policy.PolicyDocument;
import dev.keyhaven.kms.operation.KeySeeding.SeedKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The rules a seed file's keys must meet before anything is created: the API's own — CreateKey's
 * spec × usage matrix and description, TagResource's tags, the key policy grammar, CreateAlias's
 * names, EnableKeyRotation's period, ImportKeyMaterial's check of material against the spec — and
 * no key id or alias twice in one file.
 */
final class SeedRules {
  private final KeyMaterials materials;

  SeedRules(KeyMaterials materials) {
    this.materials = materials;
  }

  /** Every problem of {@code seed}, each naming its field; empty when it may be applied. */
  List<String> problems(String path, List<SeedKey> seed) {
    List<String> problems = new ArrayList<>();
    Set<UUID> ids = new HashSet<>();
    Set<String> aliasNames = new HashSet<>();
    for (int i = 0; i < seed.size(); i++) {
      SeedKey key = seed.get(i);
      String at = path + "[" + i + "].";
      if (!ids.add(key.keyId())) {
        problems.add(at + "KeyId: " + key.keyId() + " appears twice in the file");
      }
      for (String alias : key.aliases()) {
        if (!aliasNames.add(alias)) {
          problems.add(at + "Aliases: " + alias + " appears twice in the file");
        }
      }
      check(at, key, problems);
    }
    return problems;
  }

  private void check(String at, SeedKey key, List<String> problems) {
    KeySpec spec = key.keySpec();
    if (spec.family() == KeySpec.Family.NOT_SUPPORTED) {
      problems.add(
          at + "KeySpec: " + spec.wireName() + " is not supported by this Keyhaven version");
      return;
    }
    KeyUsage usage = KeySeeding.usageOf(key);
    if (usage == null) {
      problems.add(at + "KeyUsage: required for every KeySpec but SYMMETRIC_DEFAULT");
    } else if (!KeyAlgorithms.usages(spec).contains(usage)) {
      problems.add(
          at
              + "KeyUsage: "
              + usage.wireName()
              + " is not compatible with KeySpec "
              + spec.wireName());
    }
    if (key.description().length() > 8192) {
      problems.add(at + "Description: longer than 8192 characters");
    }
    collect(problems, at + "Tags: ", () -> checkTags(key.tags()));
    if (key.policy() != null) {
      collect(
          problems,
          at + "Policy: ",
          () -> KeyPolicies.parse(key.policy(), PolicyDocument.Kind.KEY_POLICY));
    }
    if (key.aliases().size() > AliasRules.MAX_ALIASES_PER_KEY) {
      problems.add(at + "Aliases: at most " + AliasRules.MAX_ALIASES_PER_KEY + " per key");
    }
    for (String alias : key.aliases()) {
      collect(
          problems,
          at + "Aliases: " + alias + ": ",
          () -> {
            AliasRules.name(new Validator(), alias).check();
            AliasName.forWrite(alias); // CreateAlias's rules: alias/aws/ is reserved
          });
    }
    if (key.rotationPeriodInDays() != null) {
      if (spec != KeySpec.SYMMETRIC_DEFAULT || key.keyMaterial() != null) {
        problems.add(
            at
                + "RotationPeriodInDays: automatic rotation is for symmetric keys whose material"
                + " Keyhaven generates (no KeyMaterial)");
      } else if (key.rotationPeriodInDays() < 90 || key.rotationPeriodInDays() > 2560) {
        problems.add(at + "RotationPeriodInDays: must be 90 to 2560");
      }
    }
    if (key.keyMaterial() != null && usage != null) {
      collect(
          problems,
          at + "KeyMaterial: ",
          () -> materials.checkImported(spec, usage, key.keyMaterial()));
    }
  }

  private static void checkTags(Map<String, String> tags) {
    if (tags.size() > Tags.MAX_TAGS_PER_KEY) {
      throw Tags.tooMany();
    }
    Tags.validate(
        tags.entrySet().stream().map(e -> new Tags.Tag(e.getKey(), e.getValue())).toList());
  }

  private static void collect(List<String> problems, String prefix, Runnable check) {
    try {
      check.run();
    } catch (RuntimeException e) { // KmsException, IllegalArgumentException, a parser's failure
      problems.add(prefix + e.getMessage());
    }
  }
}
