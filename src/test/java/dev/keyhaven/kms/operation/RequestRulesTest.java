package dev.keyhaven.kms.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.DataKeySpec;
import dev.keyhaven.kms.domain.key.EncryptionAlgorithm;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.MessageType;
import dev.keyhaven.kms.domain.key.SigningAlgorithm;
import dev.keyhaven.kms.operation.admin.CreateAlias;
import dev.keyhaven.kms.operation.crypto.Decrypt;
import dev.keyhaven.kms.operation.crypto.GenerateDataKey;
import dev.keyhaven.kms.operation.crypto.ReEncrypt;
import dev.keyhaven.kms.operation.crypto.Sign;
import dev.keyhaven.kms.operation.crypto.Verify;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The member rules declared on request records report what the hand-written Validator chains of the
 * operations reported, in the same order: each expected message below is the chain an operation ran
 * before its members were declared, applied to a request breaking every member.
 */
class RequestRulesTest {
  private static final KeyReference LONG_ID = KeyReference.of("k".repeat(2049));
  private static final Map<String, String> NULL_VALUE = new java.util.HashMap<>();
  private static final List<String> BAD_TOKENS = List.of("");

  static {
    NULL_VALUE.put("a", null);
  }

  private static String declared(Object request) {
    Validator v = new Validator();
    RequestRules.of(request.getClass()).check(request, v);
    return assertThrows(KmsException.class, v::check).getMessage();
  }

  private static String chained(Validator v) {
    return assertThrows(KmsException.class, v::check).getMessage();
  }

  @Test
  void decrypt_everyMemberBroken_sameOrderAsBefore() {
    var request =
        new Decrypt.Request(new byte[6145], LONG_ID, NULL_VALUE, BAD_TOKENS, "NOPE", null);
    Validator before =
        new Validator()
            .required("ciphertextBlob", request.ciphertextBlob())
            .blobLength("ciphertextBlob", request.ciphertextBlob(), 1, 6144)
            .length("keyId", LONG_ID.raw(), 1, 2048)
            .encryptionContext("encryptionContext", request.encryptionContext())
            .grantTokens(request.grantTokens())
            .oneOf("encryptionAlgorithm", "NOPE", AwsEnum.wireNames(EncryptionAlgorithm.class));
    assertEquals(chained(before), declared(request));
  }

  @Test
  void reEncrypt_missingAndBrokenMembers_sameOrderAsBefore() {
    var request =
        new ReEncrypt.Request(
            new byte[0], LONG_ID, null, NULL_VALUE, NULL_VALUE, "A", "B", BAD_TOKENS, null);
    List<String> algorithms = AwsEnum.wireNames(EncryptionAlgorithm.class);
    Validator before =
        new Validator()
            .required("ciphertextBlob", request.ciphertextBlob())
            .required("destinationKeyId", request.destinationKeyId())
            .blobLength("ciphertextBlob", request.ciphertextBlob(), 1, 6144)
            .length("sourceKeyId", LONG_ID.raw(), 1, 2048)
            .length("destinationKeyId", null, 1, 2048)
            .encryptionContext("sourceEncryptionContext", request.sourceEncryptionContext())
            .encryptionContext("destinationEncryptionContext", NULL_VALUE)
            .oneOf("sourceEncryptionAlgorithm", "A", algorithms)
            .oneOf("destinationEncryptionAlgorithm", "B", algorithms)
            .grantTokens(request.grantTokens());
    assertEquals(chained(before), declared(request));
  }

  @Test
  void verify_signatureTooLongAndMembersMissing_signatureFirstAsBefore() {
    var request = new Verify.Request(LONG_ID, null, "NOPE", new byte[6145], null, BAD_TOKENS, null);
    Validator before =
        new Validator()
            .required("signature", request.signature())
            .blobLength("signature", request.signature(), 1, 6144)
            .required("keyId", request.keyId())
            .required("message", request.message())
            .required("signingAlgorithm", request.signingAlgorithm())
            .length("keyId", LONG_ID.raw(), 1, 2048)
            .blobLength("message", request.message(), 1, 4096)
            .oneOf("messageType", "NOPE", AwsEnum.wireNames(MessageType.class))
            .oneOf("signingAlgorithm", null, AwsEnum.wireNames(SigningAlgorithm.class))
            .grantTokens(request.grantTokens());
    assertEquals(chained(before), declared(request));
  }

  @Test
  void sign_brokenMembers_sameOrderAsBefore() {
    var request = new Sign.Request(LONG_ID, new byte[4097], "NOPE", "ALSO_NOPE", BAD_TOKENS, null);
    Validator before =
        new Validator()
            .required("keyId", request.keyId())
            .required("message", request.message())
            .required("signingAlgorithm", request.signingAlgorithm())
            .length("keyId", LONG_ID.raw(), 1, 2048)
            .blobLength("message", request.message(), 1, 4096)
            .oneOf("messageType", "NOPE", AwsEnum.wireNames(MessageType.class))
            .oneOf("signingAlgorithm", "ALSO_NOPE", AwsEnum.wireNames(SigningAlgorithm.class))
            .grantTokens(request.grantTokens());
    assertEquals(chained(before), declared(request));
  }

  @Test
  void createAlias_badNameAndNoTarget_nameRulesFirstAsBefore() {
    var request = new CreateAlias.Request("alias/has space", null);
    Pattern name = Pattern.compile(dev.keyhaven.kms.domain.key.AliasName.PATTERN);
    Validator before =
        new Validator()
            .required("aliasName", request.aliasName())
            .length("aliasName", request.aliasName(), 1, 256)
            .pattern("aliasName", request.aliasName(), name, name.pattern())
            .required("targetKeyId", null)
            .length("targetKeyId", null, 1, 2048);
    assertEquals(chained(before), declared(request));
  }

  @Test
  void generateDataKey_brokenMembers_sameOrderAsBefore() {
    var request = new GenerateDataKey.Request(LONG_ID, "AES_512", 0, NULL_VALUE, BAD_TOKENS, null);
    Validator before =
        new Validator()
            .required("keyId", request.keyId())
            .length("keyId", LONG_ID.raw(), 1, 2048)
            .oneOf("keySpec", "AES_512", AwsEnum.wireNames(DataKeySpec.class))
            .range("numberOfBytes", 0, 1, 1024)
            .encryptionContext("encryptionContext", NULL_VALUE)
            .grantTokens(request.grantTokens());
    assertEquals(chained(before), declared(request));
  }
}
