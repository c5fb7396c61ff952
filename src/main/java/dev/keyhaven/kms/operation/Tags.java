package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.error.ErrorCode;
import dev.keyhaven.kms.domain.error.KmsException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tag rules shared by CreateKey and TagResource (AWS KMS Developer Guide, "Tags in AWS KMS"): key
 * 1–128 characters, value 0–256, no {@code aws:} prefix (in any case), no duplicate keys in one
 * request, at most 50 tags per key.
 */
public final class Tags {
  public static final int MAX_TAGS_PER_KEY = 50;

  /** The most characters of a too-long tag key or value a message repeats. */
  static final int MAX_ECHOED = 1024;

  private static final String RESERVED_PREFIX = "aws:";

  /** A Tag structure as the wire carries it. */
  public record Tag(String tagKey, String tagValue) {}

  private Tags() {}

  /**
   * Checks a request's tags. Messages as AWS records them: the member named with the tag's 1-based
   * position ({@code tags.1.member.tagKey}), a too-long key or value echoed whole (up to {@value
   * #MAX_ECHOED} characters), and the {@code aws:} prefix reserved in any case ({@code AWS:} too).
   */
  public static void validate(List<Tag> tags) {
    if (tags == null) {
      return;
    }
    Validator v = new Validator();
    Set<String> seen = new HashSet<>();
    int position = 0;
    for (Tag tag : tags) {
      position++;
      if (tag == null) {
        v.fail("Value null at 'tags' failed to satisfy constraint: Member must not be null");
        continue;
      }
      String member = "tags." + position + ".member.";
      v.required(member + "tagKey", tag.tagKey())
          .required(member + "tagValue", tag.tagValue())
          .length(member + "tagKey", tag.tagKey(), 1, 128, MAX_ECHOED)
          .length(member + "tagValue", tag.tagValue(), 0, 256, MAX_ECHOED);
    }
    v.check();
    for (Tag tag : tags) {
      if (tag.tagKey().regionMatches(true, 0, RESERVED_PREFIX, 0, RESERVED_PREFIX.length())) {
        throw new KmsException(ErrorCode.TAG, "Tags beginning with aws: are reserved");
      }
      if (!seen.add(tag.tagKey())) {
        throw new KmsException(ErrorCode.TAG, "Duplicate tag keys");
      }
    }
  }

  /** aws:RequestTag/<key> per tag and aws:TagKeys (AWS IAM User Guide, tag condition keys). */
  public static Conditions requestConditions(List<Tag> tags) {
    Conditions conditions = Conditions.none();
    if (tags != null) {
      tags.forEach(t -> conditions.with("aws:RequestTag/" + t.tagKey(), t.tagValue()));
      conditions.withAll("aws:TagKeys", tags.stream().map(Tag::tagKey).toList());
    }
    return conditions;
  }

  public static KmsException tooMany() {
    return new KmsException(ErrorCode.TAG, "Too many tags");
  }
}
