package dev.keyhaven.kms.domain.policy;

import java.util.Objects;

/**
 * How a caller proved who it is: what the audit record's {@code userIdentity} reports besides the
 * principal ({@code accessKeyId} for SigV4, the issuer and subject for a bearer token).
 */
public sealed interface Credential {

  /** A bearer JWT verified against a trusted issuer's keys. */
  record Jwt(String issuer, String subject) implements Credential {
    public Jwt {
      Objects.requireNonNull(issuer, "issuer");
    }
  }

  /** An AWS Signature Version 4 signature made with a Keyhaven access key. */
  record SigV4(String accessKeyId) implements Credential {
    public SigV4 {
      Objects.requireNonNull(accessKeyId, "accessKeyId");
    }
  }

  /** Local mode's own work on the dev account's behalf (creating its access key at first start). */
  record LocalDev() implements Credential {}
}
