package dev.keyhaven.kms.adapter.persistence;

import io.vertx.pgclient.PgConnectOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP server on a free loopback port that stands in for a broken PostgreSQL: {@link #silent()}
 * accepts connections and never says a word (a frozen server: SIGSTOP keeps the kernel accepting),
 * {@link #closing()} closes each connection as soon as it is accepted. Closing this closes the
 * listener and every connection it still holds.
 */
final class PeerServer implements AutoCloseable {
  private final ServerSocket listener;
  private final List<Socket> held = new ArrayList<>();

  private PeerServer(boolean holdConnections) throws IOException {
    listener = new ServerSocket(0);
    Thread acceptor =
        new Thread(
            () -> {
              try {
                while (true) {
                  Socket accepted = listener.accept();
                  if (holdConnections) {
                    synchronized (held) {
                      held.add(accepted);
                    }
                  } else {
                    accepted.close();
                  }
                }
              } catch (IOException closed) {
                // the listener is closed: the test is over
              }
            },
            "peer-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Accepts and holds every connection, answering nothing. */
  static PeerServer silent() throws IOException {
    return new PeerServer(true);
  }

  /** Accepts each connection and closes it at once. */
  static PeerServer closing() throws IOException {
    return new PeerServer(false);
  }

  /** Connect options to this server (credentials that nothing checks). */
  PgConnectOptions options() {
    return options(listener.getLocalPort());
  }

  /** Connect options to {@code port} on loopback. */
  static PgConnectOptions options(int port) {
    return new PgConnectOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setUser("u")
        .setPassword("p")
        .setDatabase("d");
  }

  @Override
  public void close() throws IOException {
    listener.close();
    synchronized (held) {
      for (Socket s : held) {
        s.close();
      }
    }
  }
}
