package dev.keyhaven.kms.domain.error;

/**
 * The AWS error codes Keyhaven emits, each with its wire name ({@code __type}) and HTTP status.
 *
 * <p>AWS KMS sends 400 for every client fault, whatever the Smithy model says (reference §1.1,
 * "HTTP status of client errors"); 5xx only for our own faults.
 */
public enum ErrorCode {
  NOT_FOUND("NotFoundException", 400),
  DISABLED("DisabledException", 400),
  KMS_INVALID_STATE("KMSInvalidStateException", 400),
  INVALID_CIPHERTEXT("InvalidCiphertextException", 400),
  INCORRECT_KEY("IncorrectKeyException", 400),
  INVALID_KEY_USAGE("InvalidKeyUsageException", 400),
  // Verify / VerifyMac: the signature or MAC does not verify (no message, as AWS).
  KMS_INVALID_SIGNATURE("KMSInvalidSignatureException", 400),
  KMS_INVALID_MAC("KMSInvalidMacException", 400),
  // Importing key material.
  INVALID_IMPORT_TOKEN("InvalidImportTokenException", 400),
  EXPIRED_IMPORT_TOKEN("ExpiredImportTokenException", 400),
  INCORRECT_KEY_MATERIAL("IncorrectKeyMaterialException", 400),
  ALREADY_EXISTS("AlreadyExistsException", 400),
  VALIDATION("ValidationException", 400),
  INVALID_ALIAS_NAME("InvalidAliasNameException", 400),
  INVALID_ARN("InvalidArnException", 400),
  INVALID_MARKER("InvalidMarkerException", 400),
  INVALID_GRANT_TOKEN("InvalidGrantTokenException", 400),
  INVALID_GRANT_ID("InvalidGrantIdException", 400),
  TAG("TagException", 400),
  LIMIT_EXCEEDED("LimitExceededException", 400),
  /** AWS's answer to a request over a rate quota ("Rate exceeded"); SDKs retry it with backoff. */
  THROTTLING("ThrottlingException", 400),
  CONFLICT("ConflictException", 400),
  ACCESS_DENIED("AccessDeniedException", 400),
  UNSUPPORTED_OPERATION("UnsupportedOperationException", 400),
  MALFORMED_POLICY_DOCUMENT("MalformedPolicyDocumentException", 400),
  DRY_RUN_OPERATION("DryRunOperationException", 400),
  UNKNOWN_OPERATION("UnknownOperationException", 400),
  SERIALIZATION("SerializationException", 400),
  // AWS common errors (authentication),
  // https://docs.aws.amazon.com/kms/latest/APIReference/CommonErrors.html
  MISSING_AUTHENTICATION_TOKEN("MissingAuthenticationTokenException", 403),
  UNRECOGNIZED_CLIENT("UnrecognizedClientException", 400),
  EXPIRED_TOKEN("ExpiredTokenException", 400),
  // SigV4: a malformed Authorization header; a signature that does not verify or is out of date.
  INCOMPLETE_SIGNATURE("IncompleteSignatureException", 400),
  INVALID_SIGNATURE("InvalidSignatureException", 400),
  // Our faults.
  // The XKS proxy API's own names where they differ from AWS KMS's (aws-kms-xksproxy-api-spec,
  // "Error codes"); the XKS endpoint answers the other codes under their XKS names and statuses.
  XKS_KEY_NOT_FOUND("KeyNotFoundException", 404),
  XKS_INVALID_STATE("InvalidStateException", 400),
  XKS_AUTHENTICATION_FAILED("AuthenticationFailedException", 401),
  XKS_INVALID_URI_PATH("InvalidUriPathException", 404),
  KMS_INTERNAL("KMSInternalException", 500),
  DEPENDENCY_TIMEOUT("DependencyTimeoutException", 503);

  private final String awsType;
  private final int httpStatus;

  ErrorCode(String awsType, int httpStatus) {
    this.awsType = awsType;
    this.httpStatus = httpStatus;
  }

  /** The exact wire code, e.g. {@code KMSInvalidStateException}. */
  public String awsType() {
    return awsType;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** True when the caller caused the error (4xx). */
  public boolean isClientFault() {
    return httpStatus < 500;
  }
}
