package dev.keyhaven.kms.operation;

/** The empty response body {@code {}} of operations that return nothing. */
public record NoResult() {
  public static final NoResult INSTANCE = new NoResult();
}
