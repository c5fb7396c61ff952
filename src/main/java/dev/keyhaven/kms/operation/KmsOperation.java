package dev.keyhaven.kms.operation;

import io.smallrye.mutiny.Uni;

/**
 * One AWS KMS action: a CDI bean annotated {@link Action} with its {@link
 * dev.keyhaven.kms.domain.key.KmsAction}; the request record is {@code Q}. The request pipeline
 * ({@link OperationDeclaration}) checks the record's {@link Member} constraints and then {@link
 * #validate}, calls {@link #execute}, and answers DryRunOperationException for a request whose
 * DryRun member is true — so an operation file holds only what is particular to its action.
 *
 * <p>Request and response types are plain records whose components carry AWS member names in
 * lowerCamel case ({@code keyId} ⇄ {@code KeyId}); enum-valued request members arrive as strings so
 * that an unknown value is a ValidationException with AWS's wording, not a parse error.
 *
 * @param <Q> the request record
 * @param <R> the response record
 */
public interface KmsOperation<Q, R> {

  /**
   * Rules across members that no {@link Member} annotation states (e.g. "either KeySpec or
   * NumberOfBytes"), added to the same {@link Validator} after the member rules, so AWS's one
   * ValidationException lists them in AWS's order. None by default.
   */
  default void validate(Q request, Validator errors) {}

  /** The action's body, for a request whose members are valid: resolve → authorize → act. */
  Uni<R> execute(RequestContext context, Q request);
}
