package dev.yardmaster.router.testsupport;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 requests written byte for byte to 127.0.0.1, for what the JDK client will not send
 * (a chunked body framed by hand, a million one-byte chunks). Each request closes its connection;
 * the answer is read to the end of its Content-Length, or until the server closes the connection,
 * at most 1 MiB, each read bounded to 30 s.
 */
public final class RawHttp {

  private static final int TIMEOUT_MILLIS = 30_000;
  private static final int MAX_ANSWER_BYTES = 1 << 20;

  /** Writes the request body to the stream given (buffered; flushed after). */
  @FunctionalInterface
  public interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  private RawHttp() {}

  /**
   * Sends {@code requestLine} and {@code headers} (each {@code "Name: value"}), adds Host and
   * {@code Connection: close}, then the body; returns the whole answer, status line first.
   */
  public static String exchange(int port, String requestLine, String[] headers, Body body) throws IOException {
    return exchange(port, requestLine.getBytes(StandardCharsets.US_ASCII), headers, body);
  }

  /** As {@link #exchange(int, String, String[], Body)}, the request line any bytes (a fuzzed one, say). */
  public static String exchange(int port, byte[] requestLine, String[] headers, Body body) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
      out.write(requestLine);
      StringBuilder head = new StringBuilder("\r\n");
      head.append("Host: 127.0.0.1:").append(port).append("\r\n");
      for (String header : headers) {
        head.append(header).append("\r\n");
      }
      head.append("Connection: close\r\n\r\n");
      out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
      body.writeTo(out);
      out.flush();
      // the answer to a HEAD has a Content-Length but no body
      boolean headRequest = new String(requestLine, StandardCharsets.ISO_8859_1).startsWith("HEAD ");
      return read(socket.getInputStream(), headRequest);
    }
  }

  /** A body framed as {@code Transfer-Encoding: chunked}: each part one chunk, then the last chunk. */
  public static Body chunked(byte[]... parts) {
    return out -> {
      for (byte[] part : parts) {
        out.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(part);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    };
  }

  /** The status code of an answer {@link #exchange} returned (its status line's, HTTP/1.0 or 1.1). */
  public static int status(String answer) {
    if (!answer.startsWith("HTTP/1.")) {
      throw new IllegalArgumentException("answer: no status line (expected: HTTP/1.x NNN ...): " + answer);
    }
    return Integer.parseInt(answer.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
  }

  /** The value of a header of an answer {@link #exchange} returned, null when it has none. */
  public static @Nullable String header(String answer, String name) {
    String prefix = name.toLowerCase(Locale.ROOT) + ":";
    for (String line : answer.substring(0, answer.indexOf("\r\n\r\n")).split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith(prefix)) {
        return line.substring(prefix.length()).trim();
      }
    }
    return null;
  }

  /** The body of an answer {@link #exchange} returned, undoing a chunked framing if the server used one. */
  public static String body(String answer) {
    int start = answer.indexOf("\r\n\r\n");
    String head = answer.substring(0, start).toLowerCase(Locale.ROOT);
    String body = answer.substring(start + 4);
    if (!head.contains("transfer-encoding: chunked")) {
      return body;
    }
    StringBuilder joined = new StringBuilder();
    int offset = 0;
    while (offset < body.length()) {
      int lineEnd = body.indexOf("\r\n", offset);
      int size = Integer.parseInt(body.substring(offset, lineEnd).trim(), 16);
      if (size == 0) {
        break;
      }
      joined.append(body, lineEnd + 2, lineEnd + 2 + size);
      offset = lineEnd + 2 + size + 2;
    }
    return joined.toString();
  }

  /** Until the body's Content-Length (0 without a body) is read, or else until the server closes the connection. */
  private static String read(InputStream in, boolean withoutBody) throws IOException {
    ByteArrayOutputStream answer = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int read;
    long expected = -1;
    while (answer.size() < MAX_ANSWER_BYTES && (expected < 0 || answer.size() < expected)
        && (read = in.read(buffer)) >= 0) {
      answer.write(buffer, 0, read);
      String text = answer.toString(StandardCharsets.ISO_8859_1);
      int headEnd = text.indexOf("\r\n\r\n");
      if (expected < 0 && headEnd >= 0) {
        for (String line : text.substring(0, headEnd).split("\r\n")) {
          if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
            long length = Long.parseLong(line.substring("content-length:".length()).trim());
            expected = headEnd + 4 + (withoutBody ? 0 : length);
          }
        }
      }
    }
    return answer.toString(StandardCharsets.ISO_8859_1);
  }
}
