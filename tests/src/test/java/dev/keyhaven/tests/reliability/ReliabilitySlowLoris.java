package dev.keyhaven.tests.reliability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Slow-loris connections: each sends a request's headers one byte at a time, one byte a second, for
 * {@code trickleSeconds}, then nothing; it never completes its headers. {@link #run} waits until
 * the server has closed every one or {@code giveUpSeconds} have passed since the last byte, and
 * reports how many were cut and how long after their last byte (the server's idle timeout). One
 * thread and one selector drive all connections.
 */
final class ReliabilitySlowLoris {
  /** What happened: connections opened, cut by the server, and seconds from last byte to cut. */
  record Outcome(int opened, int cut, double minCutSeconds, double maxCutSeconds, double seconds) {}

  private static final byte[] HEAD =
      ("POST / HTTP/1.1\r\nHost: slow\r\n"
              + "X-Amz-Target: TrentService.Encrypt\r\nContent-Type: application/x-amz-json-1.1\r\n")
          .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LINE = "X-Slow: a\r\n".getBytes(StandardCharsets.US_ASCII);

  private static final class Loris {
    final SocketChannel channel;
    int sent;
    long lastByteNanos;
    long cutNanos;

    Loris(SocketChannel channel) {
      this.channel = channel;
    }

    byte next() {
      int i = sent++;
      return i < HEAD.length ? HEAD[i] : LINE[(i - HEAD.length) % LINE.length];
    }
  }

  private ReliabilitySlowLoris() {}

  static Outcome run(URI endpoint, int connections, int trickleSeconds, int giveUpSeconds)
      throws IOException {
    long start = System.nanoTime();
    List<Loris> all = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < connections; i++) {
        SocketChannel channel =
            SocketChannel.open(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()));
        channel.configureBlocking(false);
        Loris loris = new Loris(channel);
        channel.register(selector, SelectionKey.OP_READ, loris);
        all.add(loris);
      }
      long trickleEnd = System.nanoTime() + trickleSeconds * 1_000_000_000L;
      long nextTick = System.nanoTime();
      ByteBuffer sink = ByteBuffer.allocate(4096);
      int open = connections;
      while (open > 0) {
        long now = System.nanoTime();
        if (now >= nextTick && now < trickleEnd) {
          for (Loris l : all) {
            if (l.cutNanos == 0) {
              trickle(l, now);
            }
          }
          nextTick += 1_000_000_000L;
        }
        if (now > Math.max(trickleEnd, nextTick) + giveUpSeconds * 1_000_000_000L) {
          break;
        }
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          Loris l = (Loris) key.attachment();
          if (drainedToEnd(l.channel, sink)) {
            l.cutNanos = System.nanoTime();
            key.cancel();
            l.channel.close();
            open--;
          }
        }
        selector.selectedKeys().clear();
      }
      double min = Double.MAX_VALUE;
      double max = 0;
      int cut = 0;
      for (Loris l : all) {
        if (l.cutNanos != 0) {
          cut++;
          double s = (l.cutNanos - l.lastByteNanos) / 1e9;
          min = Math.min(min, s);
          max = Math.max(max, s);
        }
        l.channel.close();
      }
      return new Outcome(
          connections, cut, cut == 0 ? Double.NaN : min, max, (System.nanoTime() - start) / 1e9);
    }
  }

  private static void trickle(Loris l, long now) {
    try {
      if (l.channel.write(ByteBuffer.wrap(new byte[] {l.next()})) == 1) {
        l.lastByteNanos = now;
      }
    } catch (IOException closed) {
      // Seen as the end of the stream by the selector.
    }
  }

  /** Reads what the server sent (an error answer, if any); true once the stream has ended. */
  private static boolean drainedToEnd(SocketChannel channel, ByteBuffer sink) {
    try {
      sink.clear();
      return channel.read(sink) < 0;
    } catch (IOException reset) {
      return true;
    }
  }
}
