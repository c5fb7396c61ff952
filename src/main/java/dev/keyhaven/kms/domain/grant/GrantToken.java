package dev.keyhaven.kms.domain.grant;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

/**
 * Grant tokens (AWS KMS Developer Guide, "Using a grant token"): opaque base64 strings, at most
 * 8192 characters, returned only by CreateGrant. AWS needs them to bridge the eventual consistency
 * of new grants; Keyhaven is strongly consistent, so a grant is usable at once with or without its
 * token and a token confers nothing by itself (the caller must still be the grantee).
 *
 * <p>Layout (base64url, no padding, 96 bytes → 128 characters): magic {@code "KHG1"} (4 bytes), key
 * id (16), grant id (32 bytes, the 64 hex digits), random nonce (44, so every CreateGrant returns a
 * new token). The token names its grant, so RetireGrant accepts it alone. It is not a capability
 * and carries no MAC: forging one gains nothing a grant id does not.
 */
public record GrantToken(UUID keyId, String grantId) {
  private static final byte[] MAGIC = {'K', 'H', 'G', '1'};
  private static final int NONCE = 44;
  private static final int LENGTH = MAGIC.length + 16 + 32 + NONCE;
  private static final HexFormat HEX = HexFormat.of();

  /** A new token for the grant; {@code nonce} must be {@value #NONCE} random bytes. */
  public static String issue(UUID keyId, String grantId, byte[] nonce) {
    if (nonce.length != NONCE) {
      throw new IllegalArgumentException("nonce must be " + NONCE + " bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(LENGTH);
    b.put(MAGIC).putLong(keyId.getMostSignificantBits()).putLong(keyId.getLeastSignificantBits());
    b.put(HEX.parseHex(grantId)).put(nonce);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
  }

  public static int nonceLength() {
    return NONCE;
  }

  /** Decodes a token; anything that is not a Keyhaven grant token is InvalidGrantTokenException. */
  public static GrantToken parse(String token) {
    byte[] raw;
    try {
      raw = token == null ? null : Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      raw = null;
    }
    if (raw == null
        || raw.length != LENGTH
        || raw[0] != MAGIC[0]
        || raw[1] != MAGIC[1]
        || raw[2] != MAGIC[2]
        || raw[3] != MAGIC[3]) {
      throw invalid();
    }
    ByteBuffer b = ByteBuffer.wrap(raw, MAGIC.length, LENGTH - MAGIC.length);
    UUID keyId = new UUID(b.getLong(), b.getLong());
    byte[] grantId = new byte[32];
    b.get(grantId);
    return new GrantToken(keyId, HEX.formatHex(grantId));
  }

  /** AWS's InvalidGrantTokenException wording. */
  public static KmsException invalid() {
    return new KmsException(ErrorCode.INVALID_GRANT_TOKEN, "Invalid grant token.");
  }
}
