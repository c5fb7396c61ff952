package dev.keyhaven.kms.adapter.persistence;

import dev.keyhaven.kms.operation.port.Transactions;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * {@link Transactions} on Hibernate Reactive: the session lives in the Vert.x context, so every
 * repository call inside a transaction's {@code work} joins it. Read-only work opens no session up
 * front: its hot reads go to the pool ({@link UnitOfWork}), the others open a session each.
 */
@ApplicationScoped
public class HibernateTransactions implements Transactions {
  private final Mutiny.SessionFactory sessions;

  HibernateTransactions(Mutiny.SessionFactory sessions) {
    this.sessions = sessions;
  }

  @Override
  public <T> Uni<T> inTransaction(Supplier<Uni<T>> work) {
    return UnitOfWork.within(
        UnitOfWork.Kind.TRANSACTION, () -> sessions.withTransaction((session, tx) -> work.get()));
  }

  @Override
  public <T> Uni<T> inSession(Supplier<Uni<T>> work) {
    return UnitOfWork.within(UnitOfWork.Kind.READ_ONLY, work);
  }
}
