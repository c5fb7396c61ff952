package dev.keyhaven.kms.domain.xks;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What an XKS key may be used for (aws-kms-xksproxy-api-spec, GetKeyMetadata, keyUsage): any subset
 * of {@code ENCRYPT} and {@code DECRYPT}, the empty one included (an "impotent" key: it exists,
 * answers its metadata and does nothing else).
 */
public enum XksKeyUsage {
  ENCRYPT,
  DECRYPT;

  /** The usage of wire values, or null if one is no usage (a duplicate is the same usage). */
  public static Set<XksKeyUsage> parse(List<String> values) {
    Set<XksKeyUsage> out = EnumSet.noneOf(XksKeyUsage.class);
    for (String value : values) {
      if (!"ENCRYPT".equals(value) && !"DECRYPT".equals(value)) {
        return null;
      }
      out.add(valueOf(value));
    }
    return out;
  }

  /** The stored form: wire names in declaration order, comma-separated ('' for none). */
  public static String format(Set<XksKeyUsage> usage) {
    return usage.stream().sorted().map(Enum::name).collect(Collectors.joining(","));
  }

  /** The stored form read back. */
  public static Set<XksKeyUsage> ofStored(String stored) {
    Set<XksKeyUsage> out = EnumSet.noneOf(XksKeyUsage.class);
    if (stored != null && !stored.isEmpty()) {
      for (String value : stored.split(",")) {
        out.add(valueOf(value));
      }
    }
    return out;
  }

  /** Wire values in declaration order. */
  public static List<String> wire(Set<XksKeyUsage> usage) {
    return usage.stream().sorted().map(Enum::name).toList();
  }
}
