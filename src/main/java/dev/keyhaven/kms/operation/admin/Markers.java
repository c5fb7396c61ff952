package dev.keyhaven.kms.operation.admin;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Pagination markers: opaque to callers (base64url of the last item's sort key), so that list
 * operations page by key (keyset pagination), never by offset. A marker that does not decode is
 * InvalidMarkerException.
 */
public final class Markers {
  private Markers() {}

  public static String encode(String lastSortKey) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(lastSortKey.getBytes(StandardCharsets.UTF_8));
  }

  /** The sort key inside {@code marker}, or null when there is no marker. */
  public static String decode(String marker) {
    if (marker == null) {
      return null;
    }
    try {
      return new String(Base64.getUrlDecoder().decode(marker), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid();
    }
  }

  public static KmsException invalid() {
    return new KmsException(ErrorCode.INVALID_MARKER, "Invalid marker");
  }
}
