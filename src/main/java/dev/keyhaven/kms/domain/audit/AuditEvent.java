package dev.keyhaven.kms.domain.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One audit event in the shape of an AWS CloudTrail record for AWS KMS (CloudTrail User Guide,
 * "CloudTrail record contents"; AWS KMS Developer Guide, "Logging AWS KMS API calls with AWS
 * CloudTrail"). {@link AuditJson} writes it in canonical form; docs/audit.md lists the fields.
 *
 * <p>Contract: {@code requestParameters} and {@code responseElements} never hold plaintext,
 * ciphertext, data keys, key material, tokens or secrets — the protocol layer strips them before an
 * event is built. Values are String, Boolean, Number, List, Map or null.
 *
 * @param userIdentity who called ({@link UserIdentity#unknown()} when authentication failed)
 * @param eventTime when the request arrived (written to the second, as CloudTrail)
 * @param eventName the operation ({@code Encrypt}) or service event ({@code RotateKey})
 * @param errorCode the AWS error type when the request failed, else null
 * @param errorMessage the AWS error message when the request failed, else null
 * @param requestParameters the request's members in camelCase, null for service events
 * @param responseElements the result of a management operation; null for reads and crypto
 * @param serviceEventDetails details of a service event ({@code keyId}), else null
 * @param requestId the {@code x-amzn-RequestId} of the response; null for service events
 * @param eventId unique id of this event
 * @param eventType {@code AwsApiCall} or {@code AwsServiceEvent}
 * @param recipientAccountId the account that owns the resource (the key's account)
 */
public record AuditEvent(
    UserIdentity userIdentity,
    Instant eventTime,
    String eventName,
    String awsRegion,
    String sourceIpAddress,
    String userAgent,
    String errorCode,
    String errorMessage,
    Map<String, Object> requestParameters,
    Map<String, Object> responseElements,
    Map<String, Object> serviceEventDetails,
    String requestId,
    String eventId,
    boolean readOnly,
    List<Resource> resources,
    String eventType,
    String recipientAccountId) {

  public static final String EVENT_VERSION = "1.08";
  public static final String EVENT_SOURCE = "kms.amazonaws.com";
  public static final String API_CALL = "AwsApiCall";
  public static final String SERVICE_EVENT = "AwsServiceEvent";

  public AuditEvent {
    Objects.requireNonNull(userIdentity, "userIdentity");
    Objects.requireNonNull(eventTime, "eventTime");
    Objects.requireNonNull(eventName, "eventName");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(eventType, "eventType");
    resources = resources == null ? List.of() : List.copyOf(resources);
  }

  /** A resource the event concerns: {@code {accountId, type: AWS::KMS::Key, ARN}}. */
  public record Resource(String accountId, String type, String arn) {
    public static final String KMS_KEY = "AWS::KMS::Key";

    public static Resource kmsKey(String accountId, String arn) {
      return new Resource(accountId, KMS_KEY, arn);
    }
  }

  /**
   * CloudTrail's {@code userIdentity}, plus how the caller authenticated: an access key id (SigV4)
   * or the issuer and subject of a JWT (written as CloudTrail writes web-identity sessions, {@code
   * sessionContext.webIdFederationData}).
   *
   * @param type {@code Root}, {@code IAMUser}, {@code AssumedRole}, {@code AWSService} or {@code
   *     Unknown}
   */
  public record UserIdentity(
      String type,
      String principalId,
      String arn,
      String accountId,
      String accessKeyId,
      String federatedProvider,
      String federatedSubject,
      String invokedBy) {

    /** A request whose caller could not be authenticated. */
    public static UserIdentity unknown() {
      return new UserIdentity("Unknown", null, null, null, null, null, null, null);
    }

    /** The service itself, acting for {@code accountId} (AWS writes "AWS Internal"). */
    public static UserIdentity service(String accountId) {
      return new UserIdentity(null, null, null, accountId, null, null, null, "AWS Internal");
    }
  }
}
