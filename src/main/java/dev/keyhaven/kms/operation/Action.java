package dev.keyhaven.kms.operation;

import dev.keyhaven.kms.domain.key.KmsAction;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The AWS action a {@link KmsOperation} serves. From it the request pipeline knows the plane,
 * whether the action changes state, its IAM action and its audit name ({@link KmsAction}); the
 * request record is the operation's first type argument. Both are read once, at startup, into the
 * operation's {@link OperationDeclaration}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Action {
  KmsAction value();
}
