package dev.keyhaven.kms.domain.grant;

import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeyUsage;
import dev.keyhaven.kms.domain.key.KmsAction;
import java.util.EnumSet;
import java.util.Set;

/**
 * The operations a grant can allow (AWS KMS API Reference, {@code GrantOperation} enum; reference
 * §1.3). Wire names are the enum literals AWS uses ({@code Decrypt}, {@code ReEncryptFrom}, …).
 *
 * <p>AWS KMS Developer Guide, "Grant concepts" → "Grant operations": the operations must be valid
 * for the key type; for a symmetric encryption key these are the symmetric cryptographic
 * operations, CreateGrant, RetireGrant and DescribeKey. Keyhaven serves only symmetric encryption
 * keys, so GenerateDataKeyPair* (not implemented yet) are not accepted either.
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

  private static final Set<GrantOperation> SYMMETRIC_ENCRYPTION =
      EnumSet.of(
          DECRYPT, ENCRYPT, GENERATE_DATA_KEY, GENERATE_DATA_KEY_WITHOUT_PLAINTEXT, RE_ENCRYPT_FROM,
          RE_ENCRYPT_TO, CREATE_GRANT, RETIRE_GRANT, DESCRIBE_KEY);

  private final String wireName;

  GrantOperation(String wireName) {
    this.wireName = wireName;
  }

  @Override
  public String wireName() {
    return wireName;
  }

  /** Whether a grant on a key of this usage may include the operation. */
  public boolean validFor(KeyUsage usage) {
    return usage == KeyUsage.ENCRYPT_DECRYPT && SYMMETRIC_ENCRYPTION.contains(this);
  }

  /**
   * Whether an encryption-context constraint applies to the operation: the symmetric
   * cryptographic operations. Not to DescribeKey and RetireGrant; for CreateGrant it restricts
   * the constraints of the grants created (see {@link GrantConstraints#atLeastAsStrictAs}).
   */
  public boolean takesEncryptionContext() {
    return switch (this) {
      case DECRYPT, ENCRYPT, GENERATE_DATA_KEY, GENERATE_DATA_KEY_WITHOUT_PLAINTEXT,
          RE_ENCRYPT_FROM, RE_ENCRYPT_TO -> true;
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
      default -> null;
    };
  }
}
