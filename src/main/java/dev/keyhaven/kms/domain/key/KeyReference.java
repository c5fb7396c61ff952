package dev.keyhaven.kms.domain.key;

import dev.keyhaven.kms.domain.error.KmsException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a caller wrote in a {@code KeyId} member: a key id, a key ARN, an alias name or an alias ARN
 * (AWS KMS API Reference, e.g. Encrypt KeyId), or text of none of these forms. The protocol decodes
 * every KeyId member into one ({@link #of}), which never fails: AWS answers text it cannot parse
 * only when the key is looked up, after every member rule and the operation's own checks ({@link
 * #requireForm}). Which forms an operation accepts is the operation's choice: most management
 * operations accept only the key id and key ARN.
 */
public sealed interface KeyReference {

  /** The text as the caller sent it (logged as sent, like CloudTrail's {@code keyId}). */
  String raw();

  /** {@code 1234abcd-12ab-34cd-56ef-1234567890ab}: a key of the caller's own account. */
  record ById(String raw, UUID keyId) implements KeyReference {}

  /** {@code arn:aws:kms:us-east-2:111122223333:key/1234abcd-…}. */
  record ByArn(String raw, KeyArn arn) implements KeyReference {}

  /** {@code alias/ExampleAlias}: an alias of the caller's own account. */
  record ByAliasName(String raw, AliasName alias) implements KeyReference {}

  /** {@code arn:aws:kms:us-east-2:111122223333:alias/ExampleAlias}. */
  record ByAliasArn(String raw, String partition, String region, String accountId, AliasName alias)
      implements KeyReference {}

  /** Text of none of the forms above; {@link #requireForm} answers it {@code Invalid keyId}. */
  record Unrecognized(String raw) implements KeyReference {}

  Pattern KEY_ARN =
      Pattern.compile("^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\\d{12}):key/([0-9a-fA-F-]{36})$");
  Pattern ALIAS_ARN = Pattern.compile("^arn:(aws[a-z-]*):kms:([a-z0-9-]+):(\\d{12}):(alias/.+)$");

  /** A multi-Region key id (Developer Guide, Key ID): {@code mrk-} and 32 hex digits. */
  Pattern MULTI_REGION_KEY_ID = Pattern.compile("^mrk-[0-9a-fA-F]{32}$");

  /**
   * Whether {@code raw} is a well-formed multi-Region key id. Keyhaven serves no multi-Region keys
   * (CreateKey MultiRegion answers UnsupportedOperationException), so such an id never names a key
   * here; AWS answers it {@code Key '<key ARN>' does not exist}, not {@code Invalid keyId}.
   */
  static boolean isMultiRegionKeyId(String raw) {
    return MULTI_REGION_KEY_ID.matcher(raw).matches();
  }

  /** Classifies a KeyId member's text by its form; never fails. */
  static KeyReference of(String raw) {
    UUID id = parseUuid(raw);
    if (id != null) {
      return new ById(raw, id);
    }
    Matcher keyArn = KEY_ARN.matcher(raw);
    if (keyArn.matches()) {
      UUID arnId = parseUuid(keyArn.group(4));
      if (arnId != null) {
        return new ByArn(raw, new KeyArn(keyArn.group(1), keyArn.group(2), keyArn.group(3), arnId));
      }
    }
    if (raw.startsWith(AliasName.PREFIX)) {
      return new ByAliasName(raw, new AliasName(raw));
    }
    Matcher aliasArn = ALIAS_ARN.matcher(raw);
    if (aliasArn.matches()) {
      return new ByAliasArn(
          raw,
          aliasArn.group(1),
          aliasArn.group(2),
          aliasArn.group(3),
          new AliasName(aliasArn.group(4)));
    }
    return new Unrecognized(raw);
  }

  /**
   * This reference, when it is of a form the operation accepts.
   *
   * @param allowAliases whether the operation documents alias names and alias ARNs as valid
   * @throws KmsException NotFoundException {@code Invalid keyId '<raw>'} for anything else, as AWS
   *     answers for a key id it cannot parse
   */
  default KeyReference requireForm(boolean allowAliases) {
    if (this instanceof Unrecognized
        || !allowAliases && (this instanceof ByAliasName || this instanceof ByAliasArn)) {
      throw KmsException.notFound("Invalid keyId '" + raw() + "'");
    }
    return this;
  }

  private static UUID parseUuid(String text) {
    if (text.length() != 36
        || text.charAt(8) != '-'
        || text.charAt(13) != '-'
        || text.charAt(18) != '-'
        || text.charAt(23) != '-') {
      return null;
    }
    try {
      UUID id = UUID.fromString(text);
      return id.toString().equalsIgnoreCase(text) ? id : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
