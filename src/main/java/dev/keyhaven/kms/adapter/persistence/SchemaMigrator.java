package dev.keyhaven.kms.adapter.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Versioned schema migrations: applies {@code db/migration/V<n>__*.sql} from the classpath, in the
 * order {@code db/migration/index.txt} lists them, each once, recorded in {@code schema_version}.
 *
 * <p>Runs in one transaction under a PostgreSQL advisory lock, so several instances starting at
 * once (Lambda cold starts, a second server) apply each script exactly once. A script is never
 * edited after it ships: a change is a new script. Hibernate never generates DDL here.
 *
 * <p>A script may have a Java step ({@code steps}, by version) that needs what SQL cannot do — the
 * root key, for V10's re-wrap ({@link AccessKeyRebinding}). It runs right after its script, in the
 * same transaction, so it too runs exactly once: when the script is applied.
 */
final class SchemaMigrator {
  private static final String DIR = "db/migration/";
  private static final long LOCK_ID = 0x6b6d735f6d6967L; // "kms_mig"

  private SchemaMigrator() {}

  /** A migration's Java step, run on the migration's connection inside its transaction. */
  interface Step extends Function<SqlConnection, Uni<Void>> {}

  /** Applies pending migrations, each followed by its step if any; returns how many it applied. */
  static Uni<Integer> migrate(Pool pool, Map<Integer, Step> steps) {
    List<String> scripts = readLines(DIR + "index.txt");
    return pool.withTransaction(
        conn ->
            conn.query("SELECT pg_advisory_xact_lock(" + LOCK_ID + ")")
                .execute()
                .chain(
                    () ->
                        conn.query(
                                "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY"
                                    + " KEY, script text NOT NULL, applied_at timestamptz NOT NULL"
                                    + " DEFAULT now())")
                            .execute())
                .chain(() -> conn.query("SELECT version FROM schema_version").execute())
                .chain(
                    rows -> {
                      Set<Integer> applied = new HashSet<>();
                      for (Row row : rows) {
                        applied.add(row.getInteger(0));
                      }
                      return applyPending(conn, scripts, steps, applied, 0, 0);
                    }));
  }

  /** How many of the listed migrations the database has not applied (all, for an empty one). */
  static Uni<Integer> pending(Pool pool) {
    List<String> scripts = readLines(DIR + "index.txt");
    return pool.query("SELECT to_regclass('schema_version') IS NOT NULL")
        .execute()
        .chain(
            exists ->
                exists.iterator().next().getBoolean(0)
                    ? pool.query("SELECT version FROM schema_version")
                        .execute()
                        .map(
                            rows -> {
                              Set<Integer> applied = new HashSet<>();
                              for (Row row : rows) {
                                applied.add(row.getInteger(0));
                              }
                              return (int)
                                  scripts.stream()
                                      .filter(s -> !applied.contains(versionOf(s)))
                                      .count();
                            })
                    : Uni.createFrom().item(scripts.size()));
  }

  private static Uni<Integer> applyPending(
      SqlConnection conn,
      List<String> scripts,
      Map<Integer, Step> steps,
      Set<Integer> applied,
      int index,
      int count) {
    if (index == scripts.size()) {
      return Uni.createFrom().item(count);
    }
    String script = scripts.get(index);
    int version = versionOf(script);
    if (applied.contains(version)) {
      return applyPending(conn, scripts, steps, applied, index + 1, count);
    }
    Step step = steps.get(version);
    return conn.query(read(DIR + script))
        .execute()
        .chain(() -> step == null ? Uni.createFrom().voidItem() : step.apply(conn))
        .chain(
            () ->
                conn.query(
                        "INSERT INTO schema_version (version, script) VALUES ("
                            + version
                            + ", '"
                            + script.replace("'", "''")
                            + "')")
                    .execute())
        .chain(() -> applyPending(conn, scripts, steps, applied, index + 1, count + 1));
  }

  static int versionOf(String script) {
    if (!script.matches("V\\d+__[A-Za-z0-9_]+\\.sql")) {
      throw new IllegalStateException("migration script name not V<n>__<name>.sql: " + script);
    }
    return Integer.parseInt(script.substring(1, script.indexOf("__")));
  }

  private static List<String> readLines(String resource) {
    return read(resource).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
  }

  private static String read(String resource) {
    try (InputStream in =
        Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing classpath resource " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
