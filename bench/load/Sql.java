import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.util.concurrent.TimeUnit;

/**
 * Runs SQL statements against the benchmark server's embedded PostgreSQL (bench/scale.sh), with the
 * reactive client the server itself uses (no psql in the embedded distribution). Each statement's
 * rows are printed tab-separated, then its time. Measurement setup only: it never runs against
 * anything but a benchmark's fresh data directory.
 *
 * <p>{@code PGPASSWORD=$(cat <data dir>/pg-password) java -cp "target/quarkus-app/lib/main/*"
 * bench/load/Sql.java <port> <sql>...} (the embedded database needs its password).
 */
public class Sql {
  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      PgConnectOptions options =
          new PgConnectOptions()
              .setHost("localhost")
              .setPort(Integer.parseInt(args[0]))
              .setDatabase("postgres")
              .setUser("postgres")
              .setPassword(System.getenv("PGPASSWORD"));
      PgConnection connection =
          PgConnection.connect(vertx, options)
              .toCompletionStage()
              .toCompletableFuture()
              .get(60, TimeUnit.SECONDS);
      for (int i = 1; i < args.length; i++) {
        long start = System.nanoTime();
        RowSet<Row> rows =
            connection
                .query(args[i])
                .execute()
                .toCompletionStage()
                .toCompletableFuture()
                .get(600, TimeUnit.SECONDS);
        for (Row row : rows) {
          StringBuilder line = new StringBuilder();
          for (int c = 0; c < row.size(); c++) {
            line.append(c == 0 ? "" : "\t").append(row.getValue(c));
          }
          System.out.println(line);
        }
        System.err.printf(
            "sql: %d rows in %.1f ms%n", rows.rowCount(), (System.nanoTime() - start) / 1e6);
      }
      connection.close();
    } finally {
      vertx.close();
    }
  }
}
