package dev.keyhaven.kms.adapter.identity;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * The parsed {@code Authorization: AWS4-HMAC-SHA256 Credential=<akid>/<yyyymmdd>/<region>/<service>
 * /aws4_request, SignedHeaders=<h1;h2>, Signature=<64 hex>} header (AWS General Reference, "Create
 * a signed AWS API request", step 6 "Add the signature to the request").
 *
 * <p>Every malformation is an {@code IncompleteSignatureException} worded like AWS's. Messages may
 * quote the header, never its signature value.
 *
 * @param signedHeaders the SignedHeaders names, sorted and unique, all lower case
 */
record SigV4Authorization(
    String accessKeyId,
    String date,
    String region,
    String service,
    List<String> signedHeaders,
    String signature) {

  static final String ALGORITHM = "AWS4-HMAC-SHA256";
  static final String TERMINATOR = "aws4_request";

  /** RFC 9110 token characters, lower case only (SignedHeaders names are lower case). */
  private static final String HEADER_NAME_SYMBOLS = "!#$%&'*+.^_`|~-";

  private static final Pattern SIGNATURE_VALUE = Pattern.compile("(Signature=)[^,\\s]*");
  private static final int MAX_ECHO = 256;

  /** The credential scope: {@code <yyyymmdd>/<region>/<service>/aws4_request}. */
  String scope() {
    return date + "/" + region + "/" + service + "/" + TERMINATOR;
  }

  /** {@code header} must start with {@link #ALGORITHM}. */
  static SigV4Authorization parse(String header) {
    String params = header.substring(ALGORITHM.length()).trim();
    String credential = null;
    String signedHeaders = null;
    String signature = null;
    for (String part : params.split(",")) {
      String pair = part.trim();
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw incomplete(
            "'"
                + echo(pair)
                + "' not a valid key=value pair (missing equal-sign) in"
                + " Authorization header: '"
                + echo(header)
                + "'.");
      }
      String name = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      switch (name) {
        case "Credential" -> credential = once(credential, value, name, header);
        case "SignedHeaders" -> signedHeaders = once(signedHeaders, value, name, header);
        case "Signature" -> signature = once(signature, value, name, header);
        default -> {
          // Unknown parameters are ignored, as AWS does.
        }
      }
    }
    StringBuilder missing = new StringBuilder();
    requireParameter(missing, credential, "Credential");
    requireParameter(missing, signature, "Signature");
    requireParameter(missing, signedHeaders, "SignedHeaders");
    if (!missing.isEmpty()) {
      throw incomplete(missing + "Authorization=" + echo(header));
    }
    String[] scope = credential.split("/", -1);
    if (scope.length != 5) {
      throw incomplete(
          "Credential must have exactly 5 slash-delimited elements, e.g."
              + " keyid/date/region/service/term, got '"
              + echo(credential)
              + "'");
    }
    for (String element : scope) {
      if (element.isEmpty()) {
        throw incomplete("Credential has an empty element, got '" + echo(credential) + "'");
      }
    }
    if (scope[1].length() != 8 || !allMatch(scope[1], SigV4Authorization::isDigit)) {
      throw incomplete("Credential date must be yyyyMMdd, got '" + echo(scope[1]) + "'");
    }
    if (!TERMINATOR.equals(scope[4])) {
      throw incomplete(
          "Credential should be scoped with a valid terminator: 'aws4_request', not '"
              + echo(scope[4])
              + "'.");
    }
    if (signature.length() != 64 || !allMatch(signature, SigV4Authorization::isLowerHex)) {
      throw incomplete("Signature must be 64 lower-case hexadecimal characters.");
    }
    return new SigV4Authorization(
        scope[0], scope[1], scope[2], scope[3], headerNames(signedHeaders), signature);
  }

  private static List<String> headerNames(String signedHeaders) {
    List<String> names = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String name : signedHeaders.split(";", -1)) {
      if (name.isEmpty()
          || !allMatch(name, SigV4Authorization::isHeaderNameChar)
          || !seen.add(name)) {
        throw incomplete(
            "SignedHeaders must be distinct lower-case header names separated by ';', got '"
                + echo(signedHeaders)
                + "'");
      }
      names.add(name);
    }
    names.sort(null);
    return List.copyOf(names);
  }

  private static boolean allMatch(String text, IntPredicate allowed) {
    for (int i = 0; i < text.length(); i++) {
      if (!allowed.test(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isLowerHex(int c) {
    return isDigit(c) || (c >= 'a' && c <= 'f');
  }

  private static boolean isHeaderNameChar(int c) {
    return isDigit(c) || (c >= 'a' && c <= 'z') || HEADER_NAME_SYMBOLS.indexOf(c) >= 0;
  }

  private static String once(String previous, String value, String name, String header) {
    if (previous != null) {
      throw incomplete(
          "Authorization header has more than one '"
              + name
              + "' parameter. "
              + "Authorization="
              + echo(header));
    }
    return value;
  }

  private static void requireParameter(StringBuilder missing, String value, String name) {
    if (value == null || value.isEmpty()) {
      missing.append("Authorization header requires '").append(name).append("' parameter. ");
    }
  }

  /** A client-supplied fragment fit for an error message: signature removed, length capped. */
  static String echo(String text) {
    String redacted = SIGNATURE_VALUE.matcher(text).replaceAll("$1<redacted>");
    return redacted.length() <= MAX_ECHO ? redacted : redacted.substring(0, MAX_ECHO) + "...";
  }

  static KmsException incomplete(String message) {
    return new KmsException(ErrorCode.INCOMPLETE_SIGNATURE, message);
  }
}
