package dev.keyhaven.kms.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 6 (local mode): the embedded PostgreSQL is no longer open to every local OS user.
 * A connection to it without the password is refused; the password is in the data directory's
 * {@code pg-password}, readable by its owner only (0600).
 */
@QuarkusTest
class EmbeddedDatabaseAuthTest {
  @ConfigProperty(name = "quarkus.datasource.reactive.url")
  String url;

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close();
  }

  private int select1(String password) throws Exception {
    URI uri = URI.create(url.replaceFirst("^vertx-reactive:", ""));
    PgConnectOptions options =
        new PgConnectOptions()
            .setHost(uri.getHost())
            .setPort(uri.getPort())
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
      return connection
          .query("SELECT 1")
          .execute()
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, TimeUnit.SECONDS)
          .iterator()
          .next()
          .getInteger(0);
    } finally {
      connection.close();
    }
  }

  @Test
  void connectionWithoutPassword_refused() {
    assertThrows(ExecutionException.class, () -> select1(null));
    assertThrows(ExecutionException.class, () -> select1("wrong"));
  }

  @Test
  void passwordInTheDataDirectory_ownerOnly_andAccepted() throws Exception {
    Path file = Path.of(System.getProperty("keyhaven.test.data-dir")).resolve("pg-password");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(1, select1(Files.readString(file).strip()));
  }
}
