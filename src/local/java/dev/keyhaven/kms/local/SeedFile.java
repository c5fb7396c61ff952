package dev.keyhaven.kms.local;

import dev.keyhaven.kms.domain.crypto.SecretBytes;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.operation.KeySeeding.SeedKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A seed file (docs/configuration.md, "Seeded keys"), read strictly: YAML with one member {@code
 * Keys}, a list of keys with AWS's member names — {@code KeyId} (required, a key id), {@code
 * Description}, {@code KeySpec}, {@code KeyUsage}, {@code Aliases}, {@code Tags} (a map), {@code
 * Policy} (JSON text), {@code RotationPeriodInDays}, {@code KeyMaterial} (base64, or PEM {@code
 * PRIVATE KEY} for a key pair). An unknown member, a duplicate YAML key, a value of the wrong type
 * or an unknown enum value is a {@link Problems problem} naming its field; every problem of the
 * file is reported at once.
 */
final class SeedFile {
  static final String KEYS = "Keys";
  private static final Set<String> KEY_FIELDS =
      Set.of(
          "KeyId",
          "Description",
          "KeySpec",
          "KeyUsage",
          "Aliases",
          "Tags",
          "Policy",
          "RotationPeriodInDays",
          "KeyMaterial");
  private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PEM_END = "-----END PRIVATE KEY-----";

  /** The file's problems, each naming its field. */
  static final class Problems extends Exception {
    final List<String> problems;

    Problems(List<String> problems) {
      super(String.join("; ", problems));
      this.problems = List.copyOf(problems);
    }
  }

  private final List<String> problems = new ArrayList<>();

  private SeedFile() {}

  /** The keys of {@code yaml}; throws with every problem found, and then nothing is usable. */
  static List<SeedKey> parse(String yaml) throws Problems {
    return new SeedFile().read(yaml);
  }

  private List<SeedKey> read(String yaml) throws Problems {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(0);
    Object root;
    try {
      root = new Yaml(new SafeConstructor(options)).load(yaml);
    } catch (YAMLException e) {
      throw new Problems(List.of("not valid YAML: " + e.getMessage().replace('\n', ' ')));
    }
    if (!(root instanceof Map<?, ?> top)) {
      throw new Problems(List.of("the file must be a map with the member " + KEYS));
    }
    for (Object name : top.keySet()) {
      if (!KEYS.equals(name)) {
        problems.add(name + ": unknown member (the file has one: " + KEYS + ")");
      }
    }
    List<SeedKey> keys = new ArrayList<>();
    Object list = top.get(KEYS);
    if (!(list instanceof List<?> entries)) {
      problems.add(KEYS + ": required, a list of keys");
    } else {
      for (int i = 0; i < entries.size(); i++) {
        SeedKey key = key(KEYS + "[" + i + "]", entries.get(i));
        if (key != null) {
          keys.add(key);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new Problems(problems);
    }
    return keys;
  }

  private SeedKey key(String at, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(at + ": must be a map of key members");
      return null;
    }
    int before = problems.size();
    for (Object name : map.keySet()) {
      if (!KEY_FIELDS.contains(String.valueOf(name))) {
        problems.add(
            at
                + "."
                + name
                + ": unknown field (known: "
                + String.join(", ", KEY_FIELDS.stream().sorted().toList())
                + ")");
      }
    }
    String field = at + ".";
    UUID keyId = keyId(field + "KeyId", map.get("KeyId"));
    String description = string(field + "Description", map.get("Description"));
    String spec = string(field + "KeySpec", map.get("KeySpec"));
    KeySpec keySpec =
        spec == null ? KeySpec.SYMMETRIC_DEFAULT : awsEnum(field + "KeySpec", KeySpec.class, spec);
    String usage = string(field + "KeyUsage", map.get("KeyUsage"));
    KeyUsage keyUsage = usage == null ? null : awsEnum(field + "KeyUsage", KeyUsage.class, usage);
    List<String> aliases = strings(field + "Aliases", map.get("Aliases"));
    Map<String, String> tags = tags(field + "Tags", map.get("Tags"));
    String policy = string(field + "Policy", map.get("Policy"));
    Integer rotation = integer(field + "RotationPeriodInDays", map.get("RotationPeriodInDays"));
    SecretBytes material = material(field + "KeyMaterial", map.get("KeyMaterial"));
    if (problems.size() > before || keyId == null) {
      return null;
    }
    return new SeedKey(
        keyId,
        description == null ? "" : description,
        keySpec,
        keyUsage,
        aliases,
        tags,
        policy,
        rotation,
        material);
  }

  private UUID keyId(String at, Object value) {
    if (value == null) {
      problems.add(at + ": required");
      return null;
    }
    String text = string(at, value);
    if (text == null) {
      return null;
    }
    try {
      UUID id = UUID.fromString(text);
      if (id.toString().equals(text.toLowerCase())) {
        return id;
      }
    } catch (IllegalArgumentException notAUuid) {
      // reported below
    }
    problems.add(
        at
            + ": '"
            + text
            + "' is not a key id (a UUID such as 1234abcd-12ab-34cd-56ef-1234567890ab)");
    return null;
  }

  private String string(String at, Object value) {
    if (value == null || value instanceof String) {
      return (String) value;
    }
    problems.add(at + ": must be a string, not " + describe(value) + " (quote it)");
    return null;
  }

  private Integer integer(String at, Object value) {
    if (value == null || value instanceof Integer) {
      return (Integer) value;
    }
    problems.add(at + ": must be a whole number, not " + describe(value));
    return null;
  }

  private List<String> strings(String at, Object value) {
    List<String> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof List<?> list)) {
      problems.add(at + ": must be a list of strings");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String s = string(at + "[" + i + "]", list.get(i));
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  private Map<String, String> tags(String at, Object value) {
    Map<String, String> out = new LinkedHashMap<>();
    if (value == null) {
      return out;
    }
    if (!(value instanceof Map<?, ?> map)) {
      problems.add(at + ": must be a map of tag keys to tag values");
      return out;
    }
    map.forEach(
        (k, v) -> {
          String key = string(at + " key", k);
          String tagValue = string(at + "." + k, v);
          if (key != null && tagValue != null) {
            out.put(key, tagValue);
          }
        });
    return out;
  }

  private <E extends Enum<E> & AwsEnum> E awsEnum(String at, Class<E> type, String value) {
    if (AwsEnum.wireNames(type).contains(value)) {
      return AwsEnum.fromWire(type, value);
    }
    problems.add(
        at + ": '" + value + "' is not one of " + String.join(", ", AwsEnum.wireNames(type)));
    return null;
  }

  /** Base64 of the material, or a PEM PRIVATE KEY (PKCS#8) block. */
  private SecretBytes material(String at, Object value) {
    String text = string(at, value);
    if (text == null) {
      return null;
    }
    String body = text.strip();
    if (body.startsWith("-----BEGIN")) {
      if (!body.startsWith(PEM_BEGIN) || !body.endsWith(PEM_END)) {
        problems.add(
            at
                + ": a PEM block must be an unencrypted PKCS#8 '"
                + PEM_BEGIN
                + "' … '"
                + PEM_END
                + "' (convert with: openssl pkcs8 -topk8 -nocrypt)");
        return null;
      }
      body = body.substring(PEM_BEGIN.length(), body.length() - PEM_END.length());
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(body.replaceAll("\\s", ""));
      if (bytes.length == 0) {
        problems.add(at + ": empty");
        return null;
      }
      return SecretBytes.adopt(bytes);
    } catch (IllegalArgumentException e) {
      problems.add(at + ": not base64 or a PEM PRIVATE KEY block");
      return null;
    }
  }

  private static String describe(Object value) {
    if (value instanceof Map) {
      return "a map";
    }
    if (value instanceof List) {
      return "a list";
    }
    return "the " + value.getClass().getSimpleName().toLowerCase() + " " + value;
  }
}
