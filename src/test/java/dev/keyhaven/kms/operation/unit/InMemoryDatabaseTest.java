package dev.keyhaven.kms.operation.unit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.Uni;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fake's own contracts, which the operation unit tests rely on: commit on success, every table
 * rolled back on failure, a nested transaction joins the outer one, writes refused outside one.
 */
class InMemoryDatabaseTest {
  private final InMemoryDatabase database = new InMemoryDatabase();
  private final Map<String, String> first = database.table();
  private final Map<String, String> second = database.table();

  private Uni<String> write(String value) {
    return Uni.createFrom()
        .item(
            () -> {
              database.requireTransaction("write");
              first.put("row", value);
              second.put("row", value);
              return value;
            });
  }

  @Test
  void inTransaction_workSucceeds_writesStayAndOneCommit() {
    database.inTransaction(() -> write("a")).await().indefinitely();
    assertEquals("a", first.get("row"));
    assertEquals("a", second.get("row"));
    assertEquals(1, database.commits());
  }

  @Test
  void inTransaction_workFails_everyTableRolledBack() {
    database.inTransaction(() -> write("a")).await().indefinitely();
    IllegalStateException failure = new IllegalStateException("boom");
    Uni<String> failing =
        database.inTransaction(() -> write("b").chain(() -> Uni.createFrom().failure(failure)));
    assertEquals(failure, assertThrows(IllegalStateException.class, failing.await()::indefinitely));
    assertEquals("a", first.get("row"));
    assertEquals("a", second.get("row"));
    assertEquals(1, database.commits());
  }

  @Test
  void inTransaction_nested_joinsTheOuterTransaction() {
    database
        .inTransaction(() -> write("outer").chain(() -> database.inTransaction(() -> write("in"))))
        .await()
        .indefinitely();
    assertEquals("in", first.get("row"));
    assertEquals(1, database.commits());
  }

  @Test
  void inTransaction_nestedWorkFails_theOuterWritesRollBackToo() {
    Uni<String> failing =
        database.inTransaction(
            () ->
                write("outer")
                    .chain(
                        () ->
                            database.inTransaction(
                                () ->
                                    write("in")
                                        .chain(
                                            () ->
                                                Uni.createFrom()
                                                    .<String>failure(
                                                        new IllegalStateException("in"))))));
    assertThrows(IllegalStateException.class, failing.await()::indefinitely);
    assertTrue(first.isEmpty());
    assertTrue(second.isEmpty());
    assertEquals(0, database.commits());
  }

  @Test
  void write_outsideTransaction_refused() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> write("x").await().indefinitely());
    assertTrue(e.getMessage().contains("outside a transaction"), e.getMessage());
    assertTrue(first.isEmpty());
  }
}
