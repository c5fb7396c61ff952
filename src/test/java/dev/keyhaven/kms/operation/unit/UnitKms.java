package dev.keyhaven.kms.operation.unit;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KeyReference;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.policy.Credential;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.KmsOperation;
import dev.keyhaven.kms.operation.OperationDeclaration;
import dev.keyhaven.kms.operation.RequestContext;
import dev.keyhaven.kms.operation.admin.CreateKey;
import dev.keyhaven.kms.operation.crypto.Decrypt;
import dev.keyhaven.kms.operation.crypto.Encrypt;
import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;

/**
 * The operations wired as the server wires them, on in-memory persistence ({@link InMemoryDatabase}
 * and its repositories) and the real BC-FIPS crypto ({@link RealCrypto}), without HTTP, PostgreSQL
 * or a container. A request goes through the operation's {@link OperationDeclaration} in the unit
 * of work {@code RequestPipeline} gives it: member rules, body, DryRun — for a read-only action in
 * a read-only unit of work, for a state-changing one all of it in one transaction, which a failure
 * rolls back. Not here: JSON, authentication and the audit event (the HTTP tests cover them).
 */
final class UnitKms {
  static final String PARTITION = "aws";
  static final String REGION = "us-east-1";
  static final String ACCOUNT = "111122223333";

  final InMemoryDatabase database = new InMemoryDatabase();
  final InMemoryAliases aliases = new InMemoryAliases(database);
  final InMemoryGrants grants = new InMemoryGrants(database);
  final InMemoryKeys keys = new InMemoryKeys(database, aliases, grants);
  final InMemoryPrincipalPolicies identityPolicies = new InMemoryPrincipalPolicies(database);

  private final Wiring wiring =
      new Wiring()
          .provide(database)
          .provide(aliases)
          .provide(grants)
          .provide(keys)
          .provide(identityPolicies)
          .provide(RealCrypto.KEY_MATERIAL)
          .provide(RealCrypto.ASYMMETRIC);
  private final Map<Class<?>, OperationDeclaration<?, ?>> declarations = new HashMap<>();
  private Instant now = Instant.parse("2026-12-07T12:00:00Z");
  private int requests;

  /** The account root of {@link #ACCOUNT}, signed in with a bearer token. */
  static CallerIdentity root() {
    return caller(Principal.root(PARTITION, ACCOUNT).arn());
  }

  /** A principal of {@link #ACCOUNT} by its path, e.g. {@code role/App}. */
  static CallerIdentity principal(String path) {
    return caller("arn:aws:iam::" + ACCOUNT + ":" + path);
  }

  private static CallerIdentity caller(String arn) {
    Principal principal = Principal.parse(arn).orElseThrow();
    return new CallerIdentity(principal, new Credential.Jwt("https://issuer.test", arn));
  }

  /** {@code request} as the account root; the answer, or the operation's exception. */
  <Q, R> R call(Class<? extends KmsOperation<Q, R>> operation, Q request) {
    return call(root(), operation, request);
  }

  /** {@code request} as {@code caller}; the answer, or the operation's exception. */
  <Q, R> R call(CallerIdentity caller, Class<? extends KmsOperation<Q, R>> operation, Q request) {
    OperationDeclaration<Q, R> declared = declaration(operation);
    RequestContext context =
        new RequestContext("unit-" + ++requests, caller, REGION, PARTITION, now);
    Uni<R> answer =
        declared.action().readOnly()
            ? database.inSession(() -> declared.run(context, request))
            : database.inTransaction(() -> declared.run(context, request));
    return answer.await().atMost(Duration.ofSeconds(10));
  }

  /** A new symmetric encryption key of the account root, with the default key policy. */
  CreateKey.Response createKey() {
    return call(
        CreateKey.class,
        new CreateKey.Request(null, "unit", null, null, null, null, null, null, null, null, null));
  }

  /** Encrypt of {@code plaintext} under {@code keyId} as {@code caller}. */
  Encrypt.Response encrypt(
      CallerIdentity caller, String keyId, byte[] plaintext, Map<String, String> context) {
    return call(
        caller,
        Encrypt.class,
        new Encrypt.Request(KeyReference.of(keyId), plaintext, context, null, null, null));
  }

  /** Decrypt of {@code blob} as {@code caller}, the key taken from the blob. */
  Decrypt.Response decrypt(CallerIdentity caller, byte[] blob, Map<String, String> context) {
    return call(caller, Decrypt.class, new Decrypt.Request(blob, null, context, null, null, null));
  }

  /** The AWS error {@code call} fails with, checked to be {@code code}. */
  static KmsException refused(ErrorCode code, Supplier<?> call) {
    KmsException e = Assertions.assertThrows(KmsException.class, call::get);
    Assertions.assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  /** Moves the request clock forward. */
  void advance(Duration duration) {
    now = now.plus(duration);
  }

  @SuppressWarnings("unchecked")
  private <Q, R> OperationDeclaration<Q, R> declaration(
      Class<? extends KmsOperation<Q, R>> operation) {
    return (OperationDeclaration<Q, R>)
        declarations.computeIfAbsent(
            operation, type -> OperationDeclaration.of(wiring.get(operation)));
  }
}
