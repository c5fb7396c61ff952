package dev.keyhaven.kms.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Duration;

/** SQL run straight on Keyhaven's database, as someone who can write it but is not Keyhaven. */
public final class DatabaseEdits {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private DatabaseEdits() {}

  /** Runs {@code statement} with {@code $1..$n} bound to {@code values}; the rows it touched. */
  public static int execute(Pool pool, String statement, Object... values) {
    Tuple tuple = Tuple.tuple();
    for (Object value : values) {
      tuple.addValue(value);
    }
    return pool.preparedQuery(statement).execute(tuple).await().atMost(TIMEOUT).rowCount();
  }
}
