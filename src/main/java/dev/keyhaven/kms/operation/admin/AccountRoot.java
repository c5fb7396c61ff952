package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.KeyResolver;
import dev.keyhaven.kms.operation.RequestContext;

/**
 * The rule of the Keyhaven administration API: only an account's root principal ({@code
 * arn:<partition>:iam::<account>:root}, in the partition the service serves) manages that account's
 * access keys and identity policies, the way only IAM administrators manage credentials and
 * policies in AWS.
 */
final class AccountRoot {
  private AccountRoot() {}

  /**
   * The account of {@code principalArn}, after checking it is a principal of the caller's account.
   */
  static String requireCallerIsRootOf(
      RequestContext context, KmsAction action, String principalArn) {
    String account =
        Principal.parse(principalArn, context.partition())
            .map(Principal::accountId)
            .orElseThrow(
                () ->
                    KmsException.validation(
                        "1 validation error detected: Value '"
                            + principalArn
                            + "' at 'principalArn' failed to satisfy constraint: Member must be an"
                            + " IAM principal ARN of partition "
                            + context.partition()));
    requireCallerIsRoot(context, action, principalArn);
    if (!account.equals(context.accountId())) {
      throw KeyResolver.accessDenied(context, action, principalArn);
    }
    return account;
  }

  static void requireCallerIsRoot(RequestContext context, KmsAction action, String resource) {
    if (!context.accountRoot().equals(context.caller().principalArn())) {
      throw new KmsException(
          ErrorCode.ACCESS_DENIED,
          "User: "
              + context.caller().principalArn()
              + " is not authorized to perform: "
              + action.iamAction()
              + " on resource: "
              + resource
              + " because only the account root principal may call it");
    }
  }
}
