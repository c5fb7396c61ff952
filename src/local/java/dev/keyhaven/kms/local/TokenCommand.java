package dev.keyhaven.kms.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code ./kms token --principal <arn> [--ttl <duration>]}: prints a JWT from the local dev issuer.
 * Durations: {@code 90s}, {@code 30m}, {@code 12h}, {@code 7d}, or ISO-8601 ({@code PT1H}).
 */
public final class TokenCommand {
  private TokenCommand() {}

  public static void main(String[] args) {
    String principal = null;
    Duration ttl = Duration.ofHours(12);
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--principal" -> principal = value(args, ++i);
        case "--ttl" -> ttl = parseDuration(value(args, ++i));
        default -> usage("unknown argument " + args[i]);
      }
    }
    if (principal == null) {
      usage("--principal is required");
    }
    if (dev.keyhaven.kms.domain.policy.Principal.parse(principal).isEmpty()) {
      usage("not a principal ARN: " + principal);
    }
    Path dataDir = DataDirectory.resolve(false);
    System.out.println(new DevIssuer(dataDir).mint(principal, ttl));
  }

  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      return Duration.parse(text.toUpperCase(Locale.ROOT));
    }
    long amount = Long.parseLong(t.substring(0, t.length() - 1));
    return switch (t.charAt(t.length() - 1)) {
      case 's' -> Duration.ofSeconds(amount);
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      case 'd' -> Duration.ofDays(amount);
      default -> throw new IllegalArgumentException("unknown duration unit in " + text);
    };
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      usage("missing value for " + args[i - 1]);
    }
    return args[i];
  }

  private static void usage(String problem) {
    System.err.println("kms token: " + problem);
    System.err.println("usage: ./kms token --principal <arn> [--ttl 12h]");
    System.exit(2);
  }
}
