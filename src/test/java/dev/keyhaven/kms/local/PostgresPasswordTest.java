package dev.keyhaven.kms.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrade of a data directory made by a version whose embedded PostgreSQL trusted every local
 * connection: the first start of this version sets a password on the existing cluster (its data
 * kept) and from then on only that password is accepted; later starts change nothing.
 */
class PostgresPasswordTest {
  @TempDir Path dataDir;

  @Test
  void trustCluster_getsPassword_dataKept_secondEnsureChangesNothing() throws Exception {
    Path binaries = PostgresBinaries.prepare();
    Path cluster = dataDir.resolve("pg");
    // The cluster as the previous version made it: initdb -A trust, the default pg_hba.conf.
    List<String> initdb =
        new ArrayList<>(PostgresProcess.asPostgresUser(binaries.resolve("bin/initdb").toString()));
    initdb.addAll(
        List.of("-A", "trust", "-U", "postgres", "-E", "UTF-8", "-D", cluster.toString()));
    assertEquals(0, new ProcessBuilder(initdb).redirectErrorStream(true).start().waitFor());
    int port = freePort();
    Vertx vertx = Vertx.vertx();
    try {
      PostgresProcess old = start(binaries, cluster, port);
      query(vertx, port, null, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
      old.stop(Duration.ofSeconds(20));

      String password = PostgresPassword.ensure(binaries, cluster, dataDir);
      String hba = Files.readString(cluster.resolve("pg_hba.conf"));
      assertTrue(hba.startsWith(PostgresPassword.MARKER) && !hba.contains("trust"), hba);
      assertEquals(password, PostgresPassword.ensure(binaries, cluster, dataDir));
      assertEquals(hba, Files.readString(cluster.resolve("pg_hba.conf")));

      PostgresProcess upgraded = start(binaries, cluster, port);
      try {
        assertThrows(ExecutionException.class, () -> query(vertx, port, null, "SELECT 1"));
        assertEquals(42, query(vertx, port, password, "SELECT v FROM kept"));
      } finally {
        upgraded.stop(Duration.ofSeconds(20));
      }
    } finally {
      vertx.close();
    }
  }

  private static PostgresProcess start(Path binaries, Path cluster, int port) throws Exception {
    PostgresProcess process = PostgresProcess.launch(binaries, cluster, port);
    process.awaitReady(Duration.ofSeconds(60), () -> false);
    return process;
  }

  private static Integer query(Vertx vertx, int port, String password, String sql)
      throws Exception {
    PgConnectOptions options =
        new PgConnectOptions()
            .setHost("localhost")
            .setPort(port)
            .setDatabase("postgres")
            .setUser("postgres");
    if (password != null) {
      options.setPassword(password);
    }
    PgConnection connection =
        PgConnection.connect(vertx, options)
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
    try {
      var rows =
          connection
              .query(sql)
              .execute()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      return rows.iterator().hasNext() ? rows.iterator().next().getInteger(0) : null;
    } finally {
      connection.close();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
