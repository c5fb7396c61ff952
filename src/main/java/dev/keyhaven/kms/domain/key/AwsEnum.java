package dev.keyhaven.kms.domain.key;

import java.util.Arrays;
import java.util.List;

/**
 * An enum whose constants stand for AWS wire literals. By default the literal is the constant's
 * name ({@code KeySpec.SYMMETRIC_DEFAULT} ⇄ {@code "SYMMETRIC_DEFAULT"}); enums whose literals
 * differ override {@link #wireName()}.
 */
public interface AwsEnum {
  default String wireName() {
    return ((Enum<?>) this).name();
  }

  /** The constant of {@code type} whose wire literal is {@code value}, or null. */
  static <E extends Enum<E> & AwsEnum> E fromWire(Class<E> type, String value) {
    for (E constant : type.getEnumConstants()) {
      if (constant.wireName().equals(value)) {
        return constant;
      }
    }
    return null;
  }

  /** All wire literals of {@code type}, in declaration order (for validation messages). */
  static <E extends Enum<E> & AwsEnum> List<String> wireNames(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(AwsEnum::wireName).toList();
  }
}
