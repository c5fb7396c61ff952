package dev.keyhaven.kms.domain.key;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import org.junit.jupiter.api.Test;

// AWS KMS API Reference, KeyId: key id, key ARN, alias name, alias ARN.
class KeyReferenceTest {
  private static final String ID = "1234abcd-12ab-34cd-56ef-1234567890ab";

  @Test
  void parse_keyId_byId() {
    assertInstanceOf(KeyReference.ById.class, KeyReference.of(ID).requireForm(false));
  }

  @Test
  void parse_keyArn_byArnWithRegionAndAccount() {
    var ref =
        (KeyReference.ByArn)
            KeyReference.of("arn:aws:kms:us-east-2:111122223333:key/" + ID).requireForm(false);
    assertEquals("us-east-2", ref.arn().region());
    assertEquals("111122223333", ref.arn().accountId());
    assertEquals(ID, ref.arn().keyId().toString());
  }

  @Test
  void parse_aliasName_byAliasWhenAllowed() {
    assertInstanceOf(
        KeyReference.ByAliasName.class, KeyReference.of("alias/app").requireForm(true));
  }

  @Test
  void parse_aliasArn_byAliasArn() {
    var ref =
        (KeyReference.ByAliasArn)
            KeyReference.of("arn:aws:kms:us-east-1:111122223333:alias/app").requireForm(true);
    assertEquals("alias/app", ref.alias().value());
    assertEquals("111122223333", ref.accountId());
    assertEquals("aws", ref.partition());
  }

  // Two key ARNs that differ only in partition name different keys.
  @Test
  void parse_keyArnOfAnotherPartition_keepsItsPartition() {
    var ref =
        (KeyReference.ByArn)
            KeyReference.of(
                    "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
                .requireForm(false);
    assertEquals("aws-cn", ref.arn().partition());
    assertEquals(
        "arn:aws-cn:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        ref.arn().toString());
  }

  @Test
  void parse_aliasWhereOnlyKeysAllowed_throwsNotFound() {
    KmsException e =
        assertThrows(KmsException.class, () -> KeyReference.of("alias/app").requireForm(false));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertEquals("Invalid keyId 'alias/app'", e.getMessage());
  }

  // Developer Guide, Key ID: a multi-Region key id is "mrk-" and 32 hex digits.
  @Test
  void isMultiRegionKeyId_wellFormedOnly() {
    assertTrue(KeyReference.isMultiRegionKeyId("mrk-d3b95762d3b95762d3b95762d3b95762"));
    assertTrue(KeyReference.isMultiRegionKeyId("mrk-D3B95762D3B95762D3B95762D3B95762"));
    for (String other :
        new String[] {
          "mrk-fake-key-id", "mrk-d3b95762", ID, "mrk-d3b95762d3b95762d3b95762d3b957620"
        }) {
      assertFalse(KeyReference.isMultiRegionKeyId(other), other);
    }
  }

  @Test
  void parse_garbage_throwsNotFound() {
    for (String bad :
        new String[] {
          "x", ID + "0", "arn:aws:kms:us-east-1:1:key/" + ID, "1234abcd12ab34cd56ef1234567890ab0000"
        }) {
      assertEquals(
          ErrorCode.NOT_FOUND,
          assertThrows(KmsException.class, () -> KeyReference.of(bad).requireForm(true)).code(),
          bad);
    }
  }

  // The protocol decodes every KeyId member with of(), which never fails: text of no form is kept
  // as sent, for the resolver to answer where AWS does (after the member rules).
  @Test
  void of_textOfNoForm_unrecognizedAsSent() {
    for (String text :
        new String[] {
          "x",
          "",
          ID + "0",
          "mrk-d3b95762d3b95762d3b95762d3b95762",
          "arn:aws:kms:us-east-1:1:key/" + ID
        }) {
      KeyReference ref = KeyReference.of(text);
      assertInstanceOf(KeyReference.Unrecognized.class, ref, text);
      assertEquals(text, ref.raw());
    }
  }

  @Test
  void of_aliasForms_classifiedWhicheverOperationReadsThem() {
    assertInstanceOf(KeyReference.ByAliasName.class, KeyReference.of("alias/app"));
    assertInstanceOf(
        KeyReference.ByAliasArn.class,
        KeyReference.of("arn:aws:kms:us-east-1:111122223333:alias/app"));
  }

  @Test
  void requireForm_unrecognized_invalidKeyIdNamingTheText() {
    KmsException e =
        assertThrows(KmsException.class, () -> KeyReference.of("not-a-key").requireForm(true));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
    assertEquals("Invalid keyId 'not-a-key'", e.getMessage());
  }
}
