package dev.keyhaven.kms.adapter.identity;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import dev.keyhaven.kms.domain.policy.CallerIdentity;
import dev.keyhaven.kms.domain.policy.Credential;
import dev.keyhaven.kms.domain.policy.Principal;
import dev.keyhaven.kms.operation.port.AccessKeyLookup;
import dev.keyhaven.kms.operation.port.Authenticator.HttpRequestView;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import org.jboss.logging.Logger;

/**
 * Verifies an AWS Signature Version 4 {@code Authorization} header exactly as AWS does (AWS General
 * Reference, "Create a signed AWS API request"; "Elements of an AWS API request signature"): the
 * credential scope must name this region and service, {@code host} must be signed, the request time
 * ({@code X-Amz-Date}, else {@code Date}) must be within 15 minutes of the clock, the payload is
 * always hashed (an {@code x-amz-content-sha256} header must equal that hash; {@code
 * UNSIGNED-PAYLOAD} is refused) and the signature is compared in constant time.
 *
 * <p>Failures, all HTTP 400 and never an unchecked exception other than {@link KmsException}:
 * {@code IncompleteSignatureException} for a malformed header, {@code UnrecognizedClientException}
 * for an unknown access key, {@code InvalidSignatureException} for a wrong scope, a stale or early
 * date or a signature mismatch. Neither the secret nor the signature is ever logged or echoed.
 *
 * <p>Crypto is HMAC-SHA256 and SHA-256 of the provider named {@code BCFIPS}, which must be
 * registered before the first request.
 */
public final class SigV4Verifier {
  private static final Logger LOG = Logger.getLogger(SigV4Verifier.class);
  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  static final DateTimeFormatter BASIC =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withResolverStyle(ResolverStyle.STRICT);
  private static final String MISMATCH =
      "The request signature we calculated does not match the signature you provided. Check your"
          + " AWS Secret Access Key and signing method. Consult the service documentation for"
          + " details.";
  private static final int MIN_SECRET_BYTES = 16;

  private final String region;
  private final String service;
  private final Clock clock;
  private final AccessKeyLookup lookup;
  private final boolean developmentSecrets;
  private final SigningKeyCache signingKeys;
  private final Duration maxSkew;

  public SigV4Verifier(String region, String service, Clock clock, AccessKeyLookup lookup) {
    this(region, service, clock, lookup, false);
  }

  /**
   * A verifier for another service's requests: {@code service} is the credential scope's service
   * name, and a request time more than {@code maxSkew} from the clock is refused (the XKS proxy
   * API: service {@code kms-xks-proxy}, 5 minutes).
   */
  public SigV4Verifier(
      String region, String service, Clock clock, AccessKeyLookup lookup, Duration maxSkew) {
    this(region, service, clock, lookup, false, maxSkew);
  }

  /**
   * @param developmentSecrets accept secrets shorter than approved-only HMAC allows (local mode's
   *     {@code test}/{@code test} credentials only; see {@link SigningKeyCache})
   */
  public SigV4Verifier(
      String region,
      String service,
      Clock clock,
      AccessKeyLookup lookup,
      boolean developmentSecrets) {
    this(region, service, clock, lookup, developmentSecrets, MAX_SKEW);
  }

  private SigV4Verifier(
      String region,
      String service,
      Clock clock,
      AccessKeyLookup lookup,
      boolean developmentSecrets,
      Duration maxSkew) {
    this.maxSkew = Objects.requireNonNull(maxSkew, "maxSkew");
    this.region = Objects.requireNonNull(region, "region");
    this.service = Objects.requireNonNull(service, "service");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.lookup = Objects.requireNonNull(lookup, "lookup");
    this.developmentSecrets = developmentSecrets;
    this.signingKeys = new SigningKeyCache(1024, developmentSecrets);
  }

  /** True when {@code authorization} names the AWS4-HMAC-SHA256 scheme. */
  public static boolean isSigV4(String authorization) {
    String algorithm = SigV4Authorization.ALGORITHM;
    return authorization != null
        && authorization.startsWith(algorithm)
        && (authorization.length() == algorithm.length()
            || Character.isWhitespace(authorization.charAt(algorithm.length())));
  }

  /** The verified caller, or a {@link KmsException} saying why not. */
  public CallerIdentity verify(HttpRequestView request) {
    return verify(request, lookup);
  }

  /**
   * As {@link #verify(HttpRequestView)}, with the access key taken from {@code lookup} (e.g. one
   * credential fetched for this request) instead of the constructor's.
   */
  public CallerIdentity verify(HttpRequestView request, AccessKeyLookup lookup) {
    Map<String, String> headers = request.headers();
    String header = headers.get("authorization");
    if (header == null || header.isBlank()) {
      throw new KmsException(
          ErrorCode.MISSING_AUTHENTICATION_TOKEN, "Missing Authentication Token");
    }
    if (!isSigV4(header)) {
      throw SigV4Authorization.incomplete(
          "Unsupported Authorization algorithm; use AWS4-HMAC-SHA256.");
    }
    SigV4Authorization auth = SigV4Authorization.parse(header);
    RequestTime requestTime = requestTime(headers, header);
    String timestamp = requestTime.basic();
    Instant at = requestTime.utc().toInstant(ZoneOffset.UTC);
    if (!auth.signedHeaders().contains("host")) {
      throw SigV4Authorization.incomplete(
          "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    if (!region.equals(auth.region()) || !service.equals(auth.service())) {
      throw invalid("scope " + auth.region() + "/" + auth.service() + " is not ours");
    }
    if (!timestamp.startsWith(auth.date())) {
      throw new KmsException(
          ErrorCode.INVALID_SIGNATURE,
          "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from"
              + " HTTP: '"
              + auth.date()
              + "' != '"
              + timestamp.substring(0, 8)
              + "', from '"
              + timestamp
              + "'.");
    }
    requireWithinWindow(timestamp, at);
    byte[] body = request.body() == null ? new byte[0] : request.body();
    String payloadHash = HexFormat.of().formatHex(sha256(body));
    String declared = headers.get("x-amz-content-sha256");
    if (declared != null && !declared.equals(payloadHash)) {
      throw new KmsException(
          ErrorCode.INVALID_SIGNATURE,
          "The provided 'x-amz-content-sha256' header does not match what was computed.");
    }
    AccessKeyLookup.Credential credential =
        lookup
            .find(auth.accessKeyId())
            .orElseThrow(() -> unrecognized("unknown access key id " + auth.accessKeyId()));
    Principal principal =
        Principal.parse(credential.principalArn())
            .orElseThrow(
                () -> unrecognized("access key " + auth.accessKeyId() + " has no principal ARN"));
    if (!developmentSecrets && credential.secretAccessKey().length() < MIN_SECRET_BYTES) {
      LOG.warnf("access key %s has a secret too short to use", auth.accessKeyId());
      throw unrecognized("secret too short");
    }
    String canonical =
        SigV4Canonical.request(
                request.method(),
                request.path(),
                request.rawQuery(),
                headers,
                auth.signedHeaders(),
                payloadHash)
            .orElseThrow(() -> invalid("a signed header is absent"));
    String stringToSign =
        SigV4Authorization.ALGORITHM
            + "\n"
            + timestamp
            + "\n"
            + auth.scope()
            + "\n"
            + HexFormat.of().formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    byte[] expected = sign(credential, auth, stringToSign);
    if (!MessageDigest.isEqual(expected, auth.signature().getBytes(StandardCharsets.US_ASCII))) {
      throw invalid("signature mismatch for " + auth.accessKeyId());
    }
    return new CallerIdentity(principal, new Credential.SigV4(auth.accessKeyId()));
  }

  /**
   * The access key id an {@code AWS4-HMAC-SHA256} Authorization header names, or null if the header
   * does not parse ({@link #verify} then reports why).
   */
  public static String accessKeyIdOf(String authorization) {
    try {
      return SigV4Authorization.parse(authorization).accessKeyId();
    } catch (KmsException e) {
      return null;
    }
  }

  /** How many signing keys were derived (a cached key is derived once per scope and day). */
  long signingKeyDerivations() {
    return signingKeys.derivations();
  }

  /**
   * The request time as signed (ISO 8601 basic format: X-Amz-Date as sent, or else Date converted
   * from RFC 1123) and as a UTC date-time.
   */
  private record RequestTime(String basic, LocalDateTime utc) {}

  private static RequestTime requestTime(Map<String, String> headers, String header) {
    String amzDate = headers.get("x-amz-date");
    if (amzDate != null) {
      try {
        return new RequestTime(amzDate, LocalDateTime.parse(amzDate, BASIC));
      } catch (DateTimeParseException e) {
        throw SigV4Authorization.incomplete(
            "Date must be in ISO-8601 'basic format'. Got '"
                + SigV4Authorization.echo(amzDate)
                + "'. See http://en.wikipedia.org/wiki/ISO_8601");
      }
    }
    String date = headers.get("date");
    if (date == null) {
      throw SigV4Authorization.incomplete(
          "Authorization header requires existence of either a"
              + " 'X-Amz-Date' or a 'Date' header. Authorization="
              + SigV4Authorization.echo(header));
    }
    try {
      ZonedDateTime parsed = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
      LocalDateTime utc = parsed.withZoneSameInstant(ZoneOffset.UTC).toLocalDateTime();
      return new RequestTime(BASIC.format(utc), utc);
    } catch (DateTimeParseException e) {
      throw SigV4Authorization.incomplete(
          "Date must be in RFC 1123 format. Got '" + SigV4Authorization.echo(date) + "'.");
    }
  }

  private void requireWithinWindow(String timestamp, Instant at) {
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    long minutes = maxSkew.toMinutes();
    if (at.isBefore(now.minus(maxSkew))) {
      throw new KmsException(
          ErrorCode.INVALID_SIGNATURE,
          "Signature expired: "
              + timestamp
              + " is now earlier than "
              + basic(now.minus(maxSkew))
              + " ("
              + basic(now)
              + " - "
              + minutes
              + " min.)");
    }
    if (at.isAfter(now.plus(maxSkew))) {
      throw new KmsException(
          ErrorCode.INVALID_SIGNATURE,
          "Signature not yet current: "
              + timestamp
              + " is still later than "
              + basic(now.plus(maxSkew))
              + " ("
              + basic(now)
              + " + "
              + minutes
              + " min.)");
    }
  }

  private byte[] sign(AccessKeyLookup.Credential credential, SigV4Authorization auth, String text) {
    try {
      byte[] signature =
          signingKeys.signature(
              auth.accessKeyId(),
              credential.secretAccessKey(),
              auth.date(),
              auth.region(),
              auth.service(),
              text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(signature).getBytes(StandardCharsets.US_ASCII);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "HMAC-SHA256 of " + SigningKeyCache.PROVIDER + " unusable", e);
    }
  }

  private static byte[] sha256(byte[] data) {
    return SigningKeyCache.sha256(data);
  }

  private static String basic(Instant instant) {
    return BASIC.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
  }

  private static KmsException invalid(String reason) {
    LOG.debugf("SigV4 rejected: %s", reason);
    return new KmsException(ErrorCode.INVALID_SIGNATURE, MISMATCH);
  }

  private static KmsException unrecognized(String reason) {
    LOG.debugf("SigV4 rejected: %s", reason);
    return new KmsException(
        ErrorCode.UNRECOGNIZED_CLIENT, "The security token included in the request is invalid.");
  }
}
