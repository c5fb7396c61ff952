package dev.keyhaven.kms.domain.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Parsing a principal ARN once, and everything read from it (IAM User Guide, "IAM identifiers").
 */
class PrincipalTest {

  private static Principal parse(String arn) {
    return Principal.parse(arn).orElseThrow();
  }

  @Test
  void parse_eachKind_partitionAccountAndCloudTrailView() {
    Principal root = parse("arn:aws:iam::111122223333:root");
    assertEquals(Principal.Kind.ROOT, root.kind());
    assertEquals("aws", root.partition());
    assertEquals("111122223333", root.accountId());
    assertEquals("Root", root.kind().cloudTrailType());
    assertEquals("111122223333", root.principalId());
    assertTrue(root.isAccountRoot());

    Principal user = parse("arn:aws-cn:iam::111122223333:user/division/alice");
    assertEquals(Principal.Kind.USER, user.kind());
    assertEquals("aws-cn", user.partition());
    assertEquals("IAMUser", user.kind().cloudTrailType());
    assertEquals("alice", user.principalId());
    assertFalse(user.isAccountRoot());

    Principal role = parse("arn:aws:iam::111122223333:role/path/App");
    assertEquals(Principal.Kind.ROLE, role.kind());
    assertEquals("App", role.principalId());

    Principal session = parse("arn:aws-us-gov:sts::444455556666:assumed-role/App/session-1");
    assertEquals(Principal.Kind.ASSUMED_ROLE, session.kind());
    assertEquals("aws-us-gov", session.partition());
    assertEquals("444455556666", session.accountId());
    assertEquals("AssumedRole", session.kind().cloudTrailType());
    assertEquals("App:session-1", session.principalId());

    Principal federated = parse("arn:aws:sts::111122223333:federated-user/bob");
    assertEquals(Principal.Kind.FEDERATED_USER, federated.kind());
    assertEquals("federated-user/bob", federated.principalId());
  }

  @Test
  void parse_notAPrincipal_empty() {
    for (String arn :
        new String[] {
          null,
          "",
          "bob",
          "111122223333",
          "arn:aws:iam::11112222333:root",
          "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          "arn:aws:iam::111122223333:group/Admins",
          "arn:aws:sts::111122223333:role/App",
          "arn:gcp:iam::111122223333:root",
          "arn:aws:iam::111122223333:user/" + "a".repeat(2048)
        }) {
      assertEquals(Optional.empty(), Principal.parse(arn), String.valueOf(arn));
    }
  }

  @Test
  void parse_withPartition_otherPartitionIsNoPrincipalHere() {
    assertEquals(Optional.empty(), Principal.parse("arn:aws-cn:iam::111122223333:root", "aws"));
    assertEquals(
        "111122223333",
        Principal.parse("arn:aws:iam::111122223333:root", "aws").orElseThrow().accountId());
  }

  @Test
  void identityPolicyOwner_sessionUsesItsRole_othersThemselves() {
    assertEquals(
        "arn:aws:iam::111122223333:role/App",
        parse("arn:aws:sts::111122223333:assumed-role/App/s").identityPolicyOwner());
    assertEquals(
        "arn:aws-cn:iam::111122223333:role/App",
        parse("arn:aws-cn:sts::111122223333:assumed-role/App/s/x").identityPolicyOwner());
    assertEquals(
        "arn:aws:iam::111122223333:role/App",
        parse("arn:aws:iam::111122223333:role/App").identityPolicyOwner());
    assertEquals(
        "arn:aws:sts::111122223333:assumed-role/App",
        parse("arn:aws:sts::111122223333:assumed-role/App").identityPolicyOwner());
    assertEquals("not-an-arn", Principal.identityPolicyOwnerOf("not-an-arn"));
  }

  @Test
  void granteeNames_sessionAlsoNamedByItsRole() {
    assertEquals(
        List.of(
            "arn:aws:sts::111122223333:assumed-role/App/s", "arn:aws:iam::111122223333:role/App"),
        parse("arn:aws:sts::111122223333:assumed-role/App/s").granteeNames());
    assertEquals(
        List.of("arn:aws:iam::111122223333:user/alice"),
        parse("arn:aws:iam::111122223333:user/alice").granteeNames());
  }

  @Test
  void root_buildsTheAccountRoot() {
    Principal root = Principal.root("aws-cn", "111122223333");
    assertEquals(parse("arn:aws-cn:iam::111122223333:root"), root);
    assertTrue(Principal.isAccountRootArn(root.arn()));
    assertFalse(Principal.isAccountRootArn("arn:aws:iam::111122223333:user/root"));
    assertEquals("aws-cn", Principal.partitionOf(root.arn()));
    assertEquals(null, Principal.partitionOf("bob"));
  }
}
