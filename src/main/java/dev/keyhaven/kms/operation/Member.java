package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.AwsEnum;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Member constraints of a request record, as the AWS KMS API Reference states them per member.
 * {@link RequestRules} reads them once per record at startup and checks every request before the
 * operation's body runs, with {@link Validator}'s AWS wording, in AWS's order: every {@link
 * Required} member first, then each member's other constraints in component order (a {@link First}
 * member's rules ahead of all).
 */
public final class Member {
  private Member() {}

  /** The member must be present ("Member must not be null"). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Required {}

  /** AWS's KeyIdType: a key id, key ARN, alias name or alias ARN of 1 to 2048 characters. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface KeyId {}

  /** Characters of a string member ({@link Validator#length}). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Length {
    int min();

    int max();
  }

  /** Bytes of a blob member, whose value is never echoed ({@link Validator#blobLength}). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Blob {
    int min();

    int max();
  }

  /** Entries of a list or map member ({@link Validator#size}). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Size {
    int min();

    int max();
  }

  /** Value of an integer member ({@link Validator#range}). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Range {
    int min();

    int max();
  }

  /** A string member naming a constant of an AWS enum ({@link Validator#oneOf}). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface OneOf {
    Class<? extends AwsEnum> value();
  }

  /** A string member taking one of the listed values ({@link Validator#oneOf}). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Values {
    String[] value();
  }

  /**
   * The member's rules run before every other member's, its presence included: AWS checks Verify's
   * Signature and VerifyMac's Mac ahead of the members they share with Sign and GenerateMac.
   */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface First {}

  /** A string member matching a regular expression ({@link Validator#pattern}). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Pattern {
    String value();
  }

  /** An encryption context member ({@link Validator#encryptionContext}). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Context {}

  /** The GrantTokens member ({@link Validator#grantTokens}). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface GrantTokens {}
}
