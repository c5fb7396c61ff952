package dev.keyhaven.kms.domain.error;

/**
 * Every failure the service answers with: an AWS error code plus the message the caller sees.
 *
 * <p>Contract: the message is safe to send on the wire. It never holds plaintext, key material,
 * tokens or a stack trace. For our own faults ({@link ErrorCode#KMS_INTERNAL}) the message is
 * generic and the detail goes to the server log keyed by request id.
 *
 * <p>One class with an {@link ErrorCode} instead of one subclass per code: callers switch on {@link
 * #code()}, and the protocol layer maps it in one place. Client faults carry no stack trace (they
 * are expected and frequent on hot paths).
 */
public final class KmsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String logDetail;

  public KmsException(ErrorCode code, String message) {
    this(code, message, (String) null);
  }

  /**
   * A client fault whose wire message is AWS's ({@code message}: empty, or null for no {@code
   * message} member at all) while {@code logDetail} explains it in the server log under the request
   * id, never on the wire.
   */
  public KmsException(ErrorCode code, String message, String logDetail) {
    super(message, null, false, !code.isClientFault());
    this.code = code;
    this.logDetail = logDetail;
  }

  public KmsException(ErrorCode code, String message, Throwable cause) {
    super(message, cause, false, true);
    this.code = code;
    this.logDetail = null;
  }

  public ErrorCode code() {
    return code;
  }

  /** What the server log says about this failure beyond the wire message; null if nothing. */
  public String logDetail() {
    return logDetail;
  }

  public static KmsException notFound(String message) {
    return new KmsException(ErrorCode.NOT_FOUND, message);
  }

  public static KmsException disabled(String message) {
    return new KmsException(ErrorCode.DISABLED, message);
  }

  public static KmsException invalidState(String message) {
    return new KmsException(ErrorCode.KMS_INVALID_STATE, message);
  }

  /**
   * AWS KMS API Reference, InvalidCiphertextException: one error, no detail, for corrupted
   * ciphertext and for a wrong encryption context alike (error uniformity).
   */
  public static KmsException invalidCiphertext() {
    return new KmsException(ErrorCode.INVALID_CIPHERTEXT, null);
  }

  public static KmsException validation(String message) {
    return new KmsException(ErrorCode.VALIDATION, message);
  }

  /**
   * AWS KMS Developer Guide, "Testing your AWS KMS API calls": a DryRun request that would have
   * succeeded answers this instead of its result.
   */
  public static KmsException dryRun() {
    return new KmsException(
        ErrorCode.DRY_RUN_OPERATION,
        "The request would have succeeded, but the DryRun option is set.");
  }

  public static KmsException unsupported(String message) {
    return new KmsException(ErrorCode.UNSUPPORTED_OPERATION, message);
  }

  public static KmsException internal(String requestId, Throwable cause) {
    return new KmsException(
        ErrorCode.KMS_INTERNAL,
        "An internal error occurred (request id " + requestId + "). Retry the request.",
        cause);
  }
}
