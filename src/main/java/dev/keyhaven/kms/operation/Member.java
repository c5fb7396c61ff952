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
 * Required} member first, then each member's other constraints in component order.
 */
public final class Member {
  private Member() {}

  /** The member must be present ("Member must not be null"). */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.RECORD_COMPONENT)
  public @interface Required {}

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

  /** A string member matching a regular expression, printed as written ({@link Validator#pattern}). */
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
