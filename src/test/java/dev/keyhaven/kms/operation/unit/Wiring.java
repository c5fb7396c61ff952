package dev.keyhaven.kms.operation.unit;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Constructor injection by type, as CDI does it for the application-scoped operation beans, without
 * a container: {@link #provide} registers an instance under its class and every interface it
 * implements; {@link #get} returns the one instance of a class, built on first use through its only
 * constructor from the instances its parameters name (built the same way). The constructors are
 * package-private, as the beans' are, so they are called reflectively.
 */
final class Wiring {
  private final Map<Class<?>, Object> instances = new LinkedHashMap<>();
  private final Deque<Class<?>> building = new ArrayDeque<>();

  /** Registers {@code instance} as the one of its class and of each interface it implements. */
  Wiring provide(Object instance) {
    for (Class<?> type = instance.getClass(); type != null; type = type.getSuperclass()) {
      instances.put(type, instance);
      register(type.getInterfaces(), instance);
    }
    return this;
  }

  private void register(Class<?>[] interfaces, Object instance) {
    for (Class<?> type : interfaces) {
      instances.put(type, instance);
      register(type.getInterfaces(), instance);
    }
  }

  /** The one instance of {@code type}, built on first use. */
  <T> T get(Class<T> type) {
    Object known = instances.get(type);
    if (known != null) {
      return type.cast(known);
    }
    if (type.isInterface() || type.isPrimitive()) {
      throw new IllegalStateException("nothing provides " + type.getName() + " " + building);
    }
    if (building.contains(type)) {
      throw new IllegalStateException("dependency cycle through " + type.getName());
    }
    building.push(type);
    try {
      T built = type.cast(construct(type));
      instances.put(type, built);
      return built;
    } finally {
      building.pop();
    }
  }

  private Object construct(Class<?> type) {
    Constructor<?>[] constructors = type.getDeclaredConstructors();
    if (constructors.length != 1) {
      throw new IllegalStateException(type.getName() + " has no single constructor");
    }
    Constructor<?> constructor = constructors[0];
    Object[] arguments = new Object[constructor.getParameterCount()];
    Class<?>[] parameters = constructor.getParameterTypes();
    for (int i = 0; i < arguments.length; i++) {
      arguments[i] = get(parameters[i]);
    }
    constructor.setAccessible(true);
    try {
      return constructor.newInstance(arguments);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("constructing " + type.getName(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("constructing " + type.getName(), e);
    }
  }
}
