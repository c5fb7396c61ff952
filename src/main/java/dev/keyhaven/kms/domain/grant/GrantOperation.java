package dev.keyhaven.kms.domain.grant;

import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeySpec;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.KmsAction;
import java.util.EnumSet;
import java.util.Set;

/**
 * The operations a grant can allow (AWS KMS API Reference, {@code GrantOperation} enum; reference
 * §1.3). Wire names are the enum literals AWS uses ({@code Decrypt}, {@code ReEncryptFrom}, …).
 *
 * <p>AWS KMS Developer Guide, "Grant concepts" → "Grant operations": the operations must be valid
 * for the key type — the cryptographic operations of its key spec and usage, plus CreateGrant,
 * RetireGrant and DescribeKey for every key.
 */
public enum GrantOperation implements AwsEnum {
  DECRYPT("Decrypt"),
  ENCRYPT("Encrypt"),
  GENERATE_DATA_KEY("GenerateDataKey"),
  GENERATE_DATA_KEY_WITHOUT_PLAINTEXT("GenerateDataKeyWithoutPlaintext"),
  RE_ENCRYPT_FROM("ReEncryptFrom"),
  RE_ENCRYPT_TO("ReEncryptTo"),
  SIGN("Sign"),
  VERIFY("Verify"),
  GET_PUBLIC_KEY("GetPublicKey"),
  CREATE_GRANT("CreateGrant"),
  RETIRE_GRANT("RetireGrant"),
  DESCRIBE_KEY("DescribeKey"),
  GENERATE_DATA_KEY_PAIR("GenerateDataKeyPair"),
  GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT("GenerateDataKeyPairWithoutPlaintext"),
  GENERATE_MAC("GenerateMac"),
  VERIFY_MAC("VerifyMac"),
  DERIVE_SHARED_SECRET("DeriveSharedSecret");

  private static final Set<GrantOperation> EVERY_KEY =
      EnumSet.of(CREATE_GRANT, RETIRE_GRANT, DESCRIBE_KEY);
  private static final Set<GrantOperation> SYMMETRIC_ENCRYPTION =
      EnumSet.of(
          DECRYPT,
          ENCRYPT,
          GENERATE_DATA_KEY,
          GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
          RE_ENCRYPT_FROM,
          RE_ENCRYPT_TO,
          GENERATE_DATA_KEY_PAIR,
          GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT);
  private static final Set<GrantOperation> ASYMMETRIC_ENCRYPTION =
      EnumSet.of(DECRYPT, ENCRYPT, RE_ENCRYPT_FROM, RE_ENCRYPT_TO, GET_PUBLIC_KEY);
  private static final Set<GrantOperation> SIGNING = EnumSet.of(SIGN, VERIFY, GET_PUBLIC_KEY);
  private static final Set<GrantOperation> MAC = EnumSet.of(GENERATE_MAC, VERIFY_MAC);
  private static final Set<GrantOperation> KEY_AGREEMENT =
      EnumSet.of(DERIVE_SHARED_SECRET, GET_PUBLIC_KEY);

  private final String wireName;

  GrantOperation(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }

  /** Whether a grant on a key of this spec and usage may include the operation. */
  public boolean validFor(KeySpec spec, KeyUsage usage) {
    if (EVERY_KEY.contains(this)) {
      return true;
    }
    Set<GrantOperation> valid =
        switch (usage) {
          case ENCRYPT_DECRYPT ->
              spec == KeySpec.SYMMETRIC_DEFAULT ? SYMMETRIC_ENCRYPTION : ASYMMETRIC_ENCRYPTION;
          case SIGN_VERIFY -> SIGNING;
          case GENERATE_VERIFY_MAC -> MAC;
          case KEY_AGREEMENT -> KEY_AGREEMENT;
        };
    return valid.contains(this);
  }

  /**
   * Whether an encryption-context constraint applies to the operation: the symmetric cryptographic
   * operations. Not to DescribeKey and RetireGrant; for CreateGrant it restricts the constraints of
   * the grants created (see {@link GrantConstraints#atLeastAsStrictAs}).
   */
  public boolean takesEncryptionContext() {
    return switch (this) {
      case DECRYPT,
          ENCRYPT,
          GENERATE_DATA_KEY,
          GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
          RE_ENCRYPT_FROM,
          RE_ENCRYPT_TO,
          GENERATE_DATA_KEY_PAIR,
          GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT ->
          true;
      default -> false;
    };
  }

  /**
   * The grant operation that lets any grant of the caller allow {@code action}, or null when none
   * can. RetireGrant is not here: a grant's RetireGrant covers retiring that one grant only.
   */
  public static GrantOperation forAction(KmsAction action) {
    return switch (action) {
      case ENCRYPT -> ENCRYPT;
      case DECRYPT -> DECRYPT;
      case GENERATE_DATA_KEY -> GENERATE_DATA_KEY;
      case GENERATE_DATA_KEY_WITHOUT_PLAINTEXT -> GENERATE_DATA_KEY_WITHOUT_PLAINTEXT;
      case RE_ENCRYPT_FROM -> RE_ENCRYPT_FROM;
      case RE_ENCRYPT_TO -> RE_ENCRYPT_TO;
      case CREATE_GRANT -> CREATE_GRANT;
      // A grant's RetireGrant lets its grantee retire that grant only (RetireGrant checks it).
      case DESCRIBE_KEY -> DESCRIBE_KEY;
      case GET_PUBLIC_KEY -> GET_PUBLIC_KEY;
      case SIGN -> SIGN;
      case VERIFY -> VERIFY;
      case GENERATE_MAC -> GENERATE_MAC;
      case VERIFY_MAC -> VERIFY_MAC;
      case DERIVE_SHARED_SECRET -> DERIVE_SHARED_SECRET;
      case GENERATE_DATA_KEY_PAIR -> GENERATE_DATA_KEY_PAIR;
      case GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT -> GENERATE_DATA_KEY_PAIR_WITHOUT_PLAINTEXT;
      default -> null;
    };
  }
}
