package dev.keyhaven.kms.operation.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.operation.OperationDeclaration;
import dev.keyhaven.kms.operation.Validator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * CreateGrant's member rules — declared on its request record and in its own {@code validate} — run
 * through its declaration's pipeline report what its hand-written Validator chain reported, in the
 * same order (RequestRulesTest does this for the other operations; this test sits beside
 * CreateGrant because the constraints record's class, GrantRules, is the admin operations' own).
 */
class CreateGrantRulesTest {
  private static final KeyReference LONG_ID = KeyReference.of("k".repeat(2049));
  private static final Map<String, String> NULL_VALUE = new HashMap<>();
  private static final List<String> BAD_TOKENS = List.of("");

  static {
    NULL_VALUE.put("a", null);
  }

  @Test
  void createGrant_annotatedAndOwnRules_sameOrderAsBefore() {
    var request =
        new CreateGrant.Request(
            LONG_ID,
            null,
            "r".repeat(257),
            List.of("Decrypt", "Fly"),
            "bad name",
            BAD_TOKENS,
            new GrantRules.Constraints(NULL_VALUE, null),
            null);
    Validator before =
        new Validator()
            .required("keyId", request.keyId())
            .required("granteePrincipal", request.granteePrincipal())
            .required("operations", request.operations())
            .length("keyId", LONG_ID.raw(), 1, 2048)
            .length("granteePrincipal", null, 1, 256)
            .length("retiringPrincipal", request.retiringPrincipal(), 1, 256)
            .size("operations", request.operations(), 1, Integer.MAX_VALUE)
            .length("name", request.name(), 1, 256)
            .pattern(
                "name", request.name(), Pattern.compile("^[a-zA-Z0-9:/_-]+$"), "^[a-zA-Z0-9:/_-]+$")
            .grantTokens(request.grantTokens());
    List<String> allowed = AwsEnum.wireNames(dev.keyhaven.kms.domain.grant.GrantOperation.class);
    before.fail(
        "Value '"
            + request.operations()
            + "' at 'operations' failed to satisfy constraint: Member"
            + " must satisfy constraint: [Member must satisfy enum value set: "
            + allowed
            + "]");
    before.encryptionContext("constraints.encryptionContextEquals", NULL_VALUE);
    OperationDeclaration<CreateGrant.Request, ?> declared =
        OperationDeclaration.of(new CreateGrant(null, null, null));
    assertEquals(
        assertThrows(KmsException.class, before::check).getMessage(),
        assertThrows(KmsException.class, () -> declared.run(null, request)).getMessage());
  }
}
