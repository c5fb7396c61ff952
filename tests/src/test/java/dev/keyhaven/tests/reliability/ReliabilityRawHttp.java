package dev.keyhaven.tests.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One HTTP/1.1 request on a socket of its own, for inputs an HTTP client library would refuse or
 * alter (invalid UTF-8, a 10 MB body the server refuses before reading it). The body is written on
 * another thread while the answer is read, so a server that answers early and closes is measured
 * when it answers, not when the write fails. {@code nanos} runs from the first byte sent to the end
 * of the answer.
 */
final class ReliabilityRawHttp {
  record Answer(int status, String body, long nanos) {}

  private ReliabilityRawHttp() {}

  static Answer post(URI endpoint, String token, String operation, byte[] body) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 10_000);
      socket.setSoTimeout(60_000);
      String head =
          "POST / HTTP/1.1\r\nHost: "
              + endpoint.getHost()
              + ":"
              + endpoint.getPort()
              + "\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: TrentService."
              + operation
              + "\r\nAuthorization: Bearer "
              + token
              + "\r\nContent-Length: "
              + body.length
              + "\r\nConnection: close\r\n\r\n";
      OutputStream out = socket.getOutputStream();
      long start = System.nanoTime();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  out.write(body);
                  out.flush();
                } catch (IOException refusedMidway) {
                  // The server answered and closed before taking the whole body: that is allowed.
                }
              });
      byte[] answer = readAll(socket.getInputStream());
      long nanos = System.nanoTime() - start;
      writer.cancel(true);
      return parse(answer, nanos);
    }
  }

  /** Reads to the end of the answer: its Content-Length, or the close of the connection. */
  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while ((n = in.read(chunk)) >= 0) {
      buffer.write(chunk, 0, n);
      String text = buffer.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        int length = contentLength(text.substring(0, end));
        if (length >= 0 && buffer.size() >= end + 4 + length) {
          break;
        }
      }
    }
    return buffer.toByteArray();
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return -1;
  }

  private static Answer parse(byte[] answer, long nanos) {
    String text = new String(answer, StandardCharsets.UTF_8);
    if (!text.startsWith("HTTP/1.1 ")) {
      return new Answer(-1, text, nanos);
    }
    int status = Integer.parseInt(text.substring(9, 12));
    int end = text.indexOf("\r\n\r\n");
    return new Answer(status, end < 0 ? "" : text.substring(end + 4), nanos);
  }
}
