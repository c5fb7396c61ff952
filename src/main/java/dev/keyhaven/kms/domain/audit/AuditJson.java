package dev.keyhaven.kms.domain.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The canonical JSON of an {@link AuditEvent}: the bytes that are stored, logged and hashed into
 * the chain (docs/audit.md, "Canonical form").
 *
 * <p>Members in CloudTrail's order; absent optional members omitted, except {@code
 * requestParameters} and {@code responseElements}, written as {@code null} like CloudTrail; map
 * members of request parameters and response elements sorted by name; no insignificant whitespace;
 * strings escaped minimally (RFC 8259: {@code "}, {@code \}, and control characters as {@code
 * \}{@code uXXXX} or their short forms), everything else as UTF-8; times in ISO 8601 UTC to the
 * second ({@code 2026-11-29T10:15:30Z}).
 */
public final class AuditJson {
  private AuditJson() {}

  public static byte[] canonical(AuditEvent e) {
    StringBuilder out = new StringBuilder(640);
    out.append('{');
    member(out, "eventVersion", AuditEvent.EVENT_VERSION, true);
    out.append(",\"userIdentity\":");
    identity(out, e.userIdentity());
    member(out, "eventTime", time(e.eventTime()), false);
    member(out, "eventSource", AuditEvent.EVENT_SOURCE, false);
    member(out, "eventName", e.eventName(), false);
    member(out, "awsRegion", e.awsRegion(), false);
    member(out, "sourceIPAddress", e.sourceIpAddress(), false);
    member(out, "userAgent", e.userAgent(), false);
    member(out, "errorCode", e.errorCode(), false);
    member(out, "errorMessage", e.errorMessage(), false);
    if (!AuditEvent.SERVICE_EVENT.equals(e.eventType()) || e.requestParameters() != null) {
      out.append(",\"requestParameters\":");
      value(out, e.requestParameters());
      out.append(",\"responseElements\":");
      value(out, e.responseElements());
    }
    if (e.serviceEventDetails() != null) {
      out.append(",\"serviceEventDetails\":");
      value(out, e.serviceEventDetails());
    }
    member(out, "requestID", e.requestId(), false);
    member(out, "eventID", e.eventId(), false);
    out.append(",\"readOnly\":").append(e.readOnly());
    out.append(",\"resources\":[");
    for (int i = 0; i < e.resources().size(); i++) {
      AuditEvent.Resource r = e.resources().get(i);
      out.append(i == 0 ? "{" : ",{");
      member(out, "accountId", r.accountId(), true);
      member(out, "type", r.type(), false);
      member(out, "ARN", r.arn(), false);
      out.append('}');
    }
    out.append(']');
    member(out, "eventType", e.eventType(), false);
    out.append(",\"managementEvent\":true");
    member(out, "recipientAccountId", e.recipientAccountId(), false);
    member(out, "eventCategory", "Management", false);
    out.append('}');
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** ISO 8601 UTC to the second, CloudTrail's eventTime form. */
  public static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static void identity(StringBuilder out, AuditEvent.UserIdentity id) {
    out.append('{');
    boolean first = true;
    first = optional(out, "type", id.type(), first);
    first = optional(out, "principalId", id.principalId(), first);
    first = optional(out, "arn", id.arn(), first);
    first = optional(out, "accountId", id.accountId(), first);
    first = optional(out, "accessKeyId", id.accessKeyId(), first);
    first = optional(out, "invokedBy", id.invokedBy(), first);
    if (id.federatedProvider() != null) {
      out.append(first ? "" : ",").append("\"sessionContext\":{\"webIdFederationData\":{");
      member(out, "federatedProvider", id.federatedProvider(), true);
      out.append(",\"attributes\":{");
      member(out, "sub", id.federatedSubject(), true);
      out.append("}}}");
    }
    out.append('}');
  }

  private static boolean optional(StringBuilder out, String name, String value, boolean first) {
    if (value == null) {
      return first;
    }
    member(out, name, value, first);
    return false;
  }

  /** {@code ,"name":"value"} (no comma when first); nothing when value is null. */
  private static void member(StringBuilder out, String name, String value, boolean first) {
    if (value == null) {
      return;
    }
    if (!first) {
      out.append(',');
    }
    string(out, name);
    out.append(':');
    string(out, value);
  }

  private static void value(StringBuilder out, Object v) {
    if (v == null) {
      out.append("null");
    } else if (v instanceof String s) {
      string(out, s);
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      out.append(v);
    } else if (v instanceof Number n) {
      out.append(new java.math.BigDecimal(n.toString()).toPlainString());
    } else if (v instanceof Instant t) {
      string(out, time(t));
    } else if (v instanceof Map<?, ?> map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> entry : new TreeMap<>(map).entrySet()) {
        out.append(first ? "" : ",");
        first = false;
        string(out, entry.getKey().toString());
        out.append(':');
        value(out, entry.getValue());
      }
      out.append('}');
    } else if (v instanceof List<?> list) {
      out.append('[');
      for (int i = 0; i < list.size(); i++) {
        out.append(i == 0 ? "" : ",");
        value(out, list.get(i));
      }
      out.append(']');
    } else {
      throw new IllegalArgumentException("not an audit value: " + v.getClass().getName());
    }
  }

  static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
