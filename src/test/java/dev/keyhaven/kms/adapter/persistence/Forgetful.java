package dev.keyhaven.kms.adapter.persistence;

import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder to PostgreSQL that can forget its sessions the way the network forgets those of a
 * restored snapshot: after {@link #forget()}, a session made before it stays silently open until
 * the client sends a byte, which is answered with a reset (RST). Sessions made after it forward
 * normally. Test support for {@link SnapshotConnectionsTest}.
 */
final class Forgetful implements AutoCloseable {
  private final ServerSocket listener;
  private final String host;
  private final int port;
  private final PgConnectOptions options;
  private final List<Session> sessions = new CopyOnWriteArrayList<>();

  private Forgetful(PgConnectOptions options) throws IOException {
    this.options = options;
    this.host = options.getHost();
    this.port = options.getPort();
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(this::accept, "forgetful-accept");
    accept.setDaemon(true);
    accept.start();
  }

  /** A forwarder to the database {@code options} name. */
  static Forgetful to(PgConnectOptions options) throws IOException {
    return new Forgetful(options);
  }

  /** A pool of {@code size} connections through this forwarder, sessions named {@code name}. */
  Pool pool(Vertx vertx, String name, int size) {
    PgConnectOptions through = new PgConnectOptions(options);
    through.setHost(listener.getInetAddress().getHostAddress()).setPort(listener.getLocalPort());
    through.setProperties(Map.of("application_name", name));
    return Pool.pool(
        io.vertx.mutiny.core.Vertx.newInstance(vertx), through, new PoolOptions().setMaxSize(size));
  }

  /** From now on, every existing session resets at its client's next byte. */
  void forget() {
    sessions.forEach(s -> s.forgotten = true);
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket upstream = new Socket(host, port);
        Session session = new Session(client, upstream);
        sessions.add(session);
        session.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Session s : sessions) {
      s.closeQuietly();
    }
  }

  private static final class Session {
    final Socket client;
    final Socket upstream;
    volatile boolean forgotten;

    Session(Socket client, Socket upstream) {
      this.client = client;
      this.upstream = upstream;
    }

    void start() {
      pump(client, upstream, true);
      pump(upstream, client, false);
    }

    /** Copies {@code from} to {@code to}; a forgotten session's client byte resets it instead. */
    private void pump(Socket from, Socket to, boolean fromClient) {
      Thread t =
          new Thread(
              () -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream()) {
                  OutputStream out = to.getOutputStream();
                  int n;
                  while ((n = in.read(buffer)) >= 0) {
                    if (fromClient && forgotten) {
                      client.setSoLinger(true, 0); // close with RST, as an unknown peer would
                      closeQuietly();
                      return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                } catch (IOException e) {
                  // the session ended
                }
                closeQuietly();
              },
              "forgetful-pump");
      t.setDaemon(true);
      t.start();
    }

    void closeQuietly() {
      try {
        client.close();
      } catch (IOException ignored) {
        // already closed
      }
      try {
        upstream.close();
      } catch (IOException ignored) {
        // already closed
      }
    }
  }
}
