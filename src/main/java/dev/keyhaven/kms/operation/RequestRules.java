package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.AwsEnum;
import dev.keyhaven.kms.domain.key.KeyReference;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The member rules of one request record, read once from its {@link Member} annotations: {@link
 * #check} adds every violation of a request to a {@link Validator} — first each {@link
 * Member.Required} member in component order, then per component its length/size/range, pattern or
 * enum, encryption context and grant token rules. Reading a member at request time is a method
 * handle call; nothing is looked up per request.
 */
final class RequestRules {
  private final List<BiConsumer<Object, Validator>> rules;

  private RequestRules(List<BiConsumer<Object, Validator>> rules) {
    this.rules = rules;
  }

  /** The rules of {@code type}; a type that is no record has none. */
  static RequestRules of(Class<?> type) {
    List<BiConsumer<Object, Validator>> first = new ArrayList<>();
    List<BiConsumer<Object, Validator>> required = new ArrayList<>();
    List<BiConsumer<Object, Validator>> constraints = new ArrayList<>();
    RecordComponent[] components = type.getRecordComponents();
    for (RecordComponent c : components == null ? new RecordComponent[0] : components) {
      String name = c.getName();
      MethodHandle get = getter(c);
      boolean isFirst = c.isAnnotationPresent(Member.First.class);
      List<BiConsumer<Object, Validator>> others = isFirst ? first : constraints;
      if (c.isAnnotationPresent(Member.Required.class)) {
        (isFirst ? first : required).add((q, v) -> v.required(name, read(get, q)));
      }
      if (c.isAnnotationPresent(Member.KeyId.class)) {
        others.add((q, v) -> v.length(name, raw((KeyReference) read(get, q)), 1, 2048));
      }
      Member.Length length = c.getAnnotation(Member.Length.class);
      if (length != null) {
        others.add((q, v) -> v.length(name, (String) read(get, q), length.min(), length.max()));
      }
      Member.Blob blob = c.getAnnotation(Member.Blob.class);
      if (blob != null) {
        others.add((q, v) -> v.blobLength(name, (byte[]) read(get, q), blob.min(), blob.max()));
      }
      Member.Size size = c.getAnnotation(Member.Size.class);
      if (size != null) {
        others.add((q, v) -> v.size(name, (Collection<?>) read(get, q), size.min(), size.max()));
      }
      Member.Range range = c.getAnnotation(Member.Range.class);
      if (range != null) {
        others.add((q, v) -> v.range(name, (Integer) read(get, q), range.min(), range.max()));
      }
      Member.Pattern pattern = c.getAnnotation(Member.Pattern.class);
      if (pattern != null) {
        java.util.regex.Pattern compiled = java.util.regex.Pattern.compile(pattern.value());
        others.add((q, v) -> v.pattern(name, (String) read(get, q), compiled, pattern.value()));
      }
      Member.OneOf oneOf = c.getAnnotation(Member.OneOf.class);
      if (oneOf != null) {
        List<String> allowed = wireNames(oneOf.value());
        others.add((q, v) -> v.oneOf(name, (String) read(get, q), allowed));
      }
      Member.Values values = c.getAnnotation(Member.Values.class);
      if (values != null) {
        List<String> allowed = List.of(values.value());
        others.add((q, v) -> v.oneOf(name, (String) read(get, q), allowed));
      }
      if (c.isAnnotationPresent(Member.Context.class)) {
        others.add((q, v) -> v.encryptionContext(name, contextOf(read(get, q))));
      }
      if (c.isAnnotationPresent(Member.GrantTokens.class)) {
        others.add((q, v) -> v.grantTokens(listOf(read(get, q))));
      }
    }
    first.addAll(required);
    first.addAll(constraints);
    return new RequestRules(List.copyOf(first));
  }

  /** Adds the violations of {@code request} to {@code validator}. */
  void check(Object request, Validator validator) {
    for (BiConsumer<Object, Validator> rule : rules) {
      rule.accept(request, validator);
    }
  }

  /** A component's accessor as a handle of type (Object)Object. */
  static MethodHandle getter(RecordComponent component) {
    try {
      return MethodHandles.lookup()
          .unreflect(component.getAccessor())
          .asType(MethodType.methodType(Object.class, Object.class));
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("request member " + component + " is not readable", e);
    }
  }

  static Object read(MethodHandle getter, Object request) {
    try {
      return getter.invokeExact(request);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException(e);
    }
  }

  /** A KeyId member's rules apply to the text as sent. */
  private static String raw(KeyReference keyId) {
    return keyId == null ? null : keyId.raw();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<String> wireNames(Class<? extends AwsEnum> type) {
    return AwsEnum.wireNames((Class) type);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> contextOf(Object value) {
    return (Map<String, String>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<String> listOf(Object value) {
    return (List<String>) value;
  }
}
