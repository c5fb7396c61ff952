package dev.keyhaven.kms.operation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.key.KmsAction;
import dev.keyhaven.kms.operation.crypto.DescribeKey;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The request pipeline of one declared operation, without HTTP or PostgreSQL: the declaration is
 * read from {@code @Action} and the request record; member rules run before the body, in AWS's
 * order, and stop the request; DryRun runs the body in full and answers DryRunOperationException,
 * or the body's own error.
 */
class OperationDeclarationTest {

  record Request(
      @Member.Required @Member.KeyId KeyReference keyId,
      @Member.Required @Member.Blob(min = 1, max = 4) byte[] blob,
      @Member.First @Member.Required @Member.Length(min = 1, max = 3) String first,
      Boolean dryRun) {}

  /** Counts its calls; fails with {@code failure} when one is set. */
  @Action(KmsAction.ENCRYPT)
  static class Probe implements KmsOperation<Request, String> {
    final AtomicInteger calls = new AtomicInteger();
    KmsException failure;
    boolean crossMemberViolation;

    @Override
    public void validate(Request request, Validator errors) {
      if (crossMemberViolation) {
        errors.fail("KeyId and First must differ.");
      }
    }

    @Override
    public Uni<String> execute(RequestContext context, Request request) {
      calls.incrementAndGet();
      return failure == null ? Uni.createFrom().item("done") : Uni.createFrom().failure(failure);
    }
  }

  /** A subclass stands for the container's client proxy: the declaration is its superclass's. */
  static class ProxyOfProbe extends Probe {}

  private static final Request VALID = new Request(KeyReference.of("k"), new byte[] {1}, "f", null);

  private static String await(Uni<String> answer) {
    return answer.await().atMost(Duration.ofSeconds(5));
  }

  @Test
  void of_proxyOfAnnotatedClass_readsActionRequestAndDryRun() {
    OperationDeclaration<Request, String> declared = OperationDeclaration.of(new ProxyOfProbe());
    assertSame(KmsAction.ENCRYPT, declared.action());
    assertSame(Request.class, declared.requestType());
    assertTrue(declared.takesDryRun());
  }

  @Test
  void of_classWithoutAction_failsStartup() {
    KmsOperation<Request, String> undeclared = (context, request) -> Uni.createFrom().item("x");
    assertThrows(IllegalStateException.class, () -> OperationDeclaration.of(undeclared));
  }

  @Test
  void run_validRequest_answersTheBody() {
    Probe probe = new Probe();
    assertEquals("done", await(OperationDeclaration.of(probe).run(null, VALID)));
    assertEquals(1, probe.calls.get());
  }

  @Test
  void run_invalidMembers_bodyNeverRunsAndEveryViolationInAwsOrder() {
    Probe probe = new Probe();
    probe.crossMemberViolation = true;
    Request bad = new Request(null, new byte[5], "four", null);
    KmsException e =
        assertThrows(KmsException.class, () -> OperationDeclaration.of(probe).run(null, bad));
    assertEquals(ErrorCode.VALIDATION, e.code());
    // First's rules lead; then the required members; then the others in component order; then
    // the operation's own cross-member rules.
    assertEquals(
        "4 validation errors detected: Value 'four' at 'first' failed to satisfy constraint: Member"
            + " must have length less than or equal to 3; Value null at 'keyId' failed to satisfy"
            + " constraint: Member must not be null; Value at 'blob' failed to satisfy constraint:"
            + " Member must have length less than or equal to 4; KeyId and First must differ.",
        e.getMessage());
    assertEquals(0, probe.calls.get());
  }

  @Test
  void run_dryRun_bodyRunsInFullThenDryRunOperation() {
    Probe probe = new Probe();
    Request dryRun = new Request(KeyReference.of("k"), new byte[] {1}, "f", true);
    KmsException e =
        assertThrows(
            KmsException.class, () -> await(OperationDeclaration.of(probe).run(null, dryRun)));
    assertEquals(ErrorCode.DRY_RUN_OPERATION, e.code());
    assertEquals(1, probe.calls.get());
  }

  @Test
  void run_dryRunOfAFailingCall_answersTheRealError() {
    Probe probe = new Probe();
    probe.failure = KmsException.notFound("Key 'k' does not exist");
    Request dryRun = new Request(KeyReference.of("k"), new byte[] {1}, "f", true);
    KmsException e =
        assertThrows(
            KmsException.class, () -> await(OperationDeclaration.of(probe).run(null, dryRun)));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
  }

  @Test
  void run_dryRunFalse_answersTheBody() {
    Probe probe = new Probe();
    Request notDry = new Request(KeyReference.of("k"), new byte[] {1}, "f", false);
    assertEquals("done", await(OperationDeclaration.of(probe).run(null, notDry)));
  }

  @Test
  void takesDryRun_recordWithoutTheMember_false() {
    @Action(KmsAction.DESCRIBE_KEY)
    class NoDryRun implements KmsOperation<DescribeKey.Request, String> {
      @Override
      public Uni<String> execute(RequestContext context, DescribeKey.Request request) {
        return Uni.createFrom().item("x");
      }
    }
    assertFalse(OperationDeclaration.of(new NoDryRun()).takesDryRun());
  }
}
