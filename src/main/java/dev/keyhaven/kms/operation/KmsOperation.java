package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.KmsAction;
import io.smallrye.mutiny.Uni;

/**
 * One AWS KMS action. Implementations are CDI beans; the protocol layer finds them by {@link
 * #action()}, decodes the JSON body into {@link #requestType()} and encodes the result.
 *
 * <p>Request and response types are plain records whose components carry AWS member names in
 * lowerCamel case ({@code keyId} ⇄ {@code KeyId}); enum-valued request members arrive as strings
 * so that an unknown value is a ValidationException with AWS's wording, not a parse error.
 *
 * @param <Q> the request record
 * @param <R> the response record
 */
public interface KmsOperation<Q, R> {

  KmsAction action();

  Class<Q> requestType();

  Uni<R> execute(RequestContext context, Q request);
}
