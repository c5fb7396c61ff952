package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.key.KmsAction;
import io.smallrye.mutiny.Uni;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;

/**
 * What an operation declares, read once at startup: its {@link Action}, its request record (the
 * first type argument of {@link KmsOperation}), the record's {@link Member} rules and whether it
 * takes AWS's DryRun member (a {@code Boolean dryRun} component). {@link #run} is the one pipeline
 * every request of the action passes: member rules and {@link KmsOperation#validate} → {@link
 * KmsOperation#execute} → DryRun.
 *
 * <p>DryRun (AWS KMS Developer Guide, "Testing your AWS KMS API calls"): the call is checked in
 * full — parameters, authorization, key state, the ciphertext — and then answers
 * DryRunOperationException instead of its result; a call that would fail answers its real error.
 * The result never leaves {@link #run} (no data key is released), the request's audit event is a
 * failure (no key usage is recorded), and a state-changing action's unit of work, which the caller
 * runs it in, fails and rolls back, so nothing the body wrote commits.
 */
public final class OperationDeclaration<Q, R> {
  private final KmsAction action;
  private final Class<Q> requestType;
  private final KmsOperation<Q, R> operation;
  private final RequestRules rules;
  private final MethodHandle dryRun;

  private OperationDeclaration(
      KmsAction action, Class<Q> requestType, KmsOperation<Q, R> operation) {
    this.action = action;
    this.requestType = requestType;
    this.operation = operation;
    this.rules = RequestRules.of(requestType);
    this.dryRun = dryRunMember(requestType);
  }

  /**
   * The declaration of {@code operation} (a bean instance or its client proxy): the {@link Action}
   * of its class or nearest annotated superclass, and its {@code KmsOperation<Q, R>} type
   * arguments.
   *
   * @throws IllegalStateException if the class declares no action or no request record
   */
  @SuppressWarnings("unchecked")
  public static <Q, R> OperationDeclaration<Q, R> of(KmsOperation<Q, R> operation) {
    Class<?> declared = operation.getClass();
    while (declared != null && !declared.isAnnotationPresent(Action.class)) {
      declared = declared.getSuperclass();
    }
    if (declared == null) {
      throw new IllegalStateException(operation.getClass() + " has no @Action");
    }
    return new OperationDeclaration<>(
        declared.getAnnotation(Action.class).value(),
        (Class<Q>) requestTypeOf(declared),
        operation);
  }

  public KmsAction action() {
    return action;
  }

  public Class<Q> requestType() {
    return requestType;
  }

  /** Whether the request record has AWS's DryRun member. */
  public boolean takesDryRun() {
    return dryRun != null;
  }

  /** One request, decoded: validate, execute, then DryRun (see the class comment). */
  public Uni<R> run(RequestContext context, Q request) {
    Validator errors = new Validator();
    rules.check(request, errors);
    operation.validate(request, errors);
    errors.check();
    Uni<R> call = operation.execute(context, request);
    if (dryRun == null || !Boolean.TRUE.equals(RequestRules.read(dryRun, request))) {
      return call;
    }
    return call.map(
        result -> {
          throw KmsException.dryRun();
        });
  }

  private static Class<?> requestTypeOf(Class<?> declared) {
    for (Class<?> c = declared; c != null; c = c.getSuperclass()) {
      for (Type t : c.getGenericInterfaces()) {
        if (t instanceof ParameterizedType p
            && p.getRawType() == KmsOperation.class
            && p.getActualTypeArguments()[0] instanceof Class<?> request) {
          return request;
        }
      }
    }
    throw new IllegalStateException(declared + " names no request record in KmsOperation<Q, R>");
  }

  private static MethodHandle dryRunMember(Class<?> type) {
    RecordComponent[] components = type.getRecordComponents();
    if (components != null) {
      for (RecordComponent c : components) {
        if (c.getName().equals("dryRun") && c.getType() == Boolean.class) {
          return RequestRules.getter(c);
        }
      }
    }
    return null;
  }
}
