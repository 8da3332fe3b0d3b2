package dev.yardmaster.router.server.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * The compression of a successful inference response body, as Triton chooses it: the encoding of
 * {@code Accept-Encoding} with the highest weight among gzip, deflate and identity (the first on a
 * tie, none with {@code q=0}), whatever the body's size. Error bodies are never compressed:
 * tritonclient reads them without decompressing. Armeria's {@code EncodingService} is not used for
 * this: it would compress error bodies too.
 */
final class ResponseCompression {

  /** The chosen encoding: its {@code Content-Encoding} name, or null for identity. */
  enum Encoding {
    IDENTITY(null), GZIP("gzip"), DEFLATE("deflate");

    private final @Nullable String headerValue;

    Encoding(@Nullable String headerValue) {
      this.headerValue = headerValue;
    }

    @Nullable String headerValue() {
      return headerValue;
    }
  }

  private ResponseCompression() {}

  /** The encoding a request's {@code Accept-Encoding} header asks for (null: no header). */
  static Encoding negotiate(@Nullable String acceptEncoding) {
    if (acceptEncoding == null) {
      return Encoding.IDENTITY;
    }
    Encoding chosen = Encoding.IDENTITY;
    double chosenWeight = 0;
    for (String entry : acceptEncoding.split(",")) {
      String[] parts = entry.split(";");
      Encoding encoding = switch (parts[0].trim().toLowerCase(Locale.ROOT)) {
        case "gzip" -> Encoding.GZIP;
        case "deflate" -> Encoding.DEFLATE;
        case "identity" -> Encoding.IDENTITY;
        default -> null;
      };
      double weight = weight(parts);
      if (encoding != null && weight > chosenWeight) {
        chosen = encoding;
        chosenWeight = weight;
      }
    }
    return chosen;
  }

  private static double weight(String[] parts) {
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].trim();
      if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
        try {
          return Double.parseDouble(parameter.substring(2).trim());
        } catch (NumberFormatException malformed) {
          return 0; // an unreadable weight does not select the encoding
        }
      }
    }
    return 1;
  }

  /** The body compressed with {@code encoding}, which is not {@link Encoding#IDENTITY}. */
  static byte[] compress(Encoding encoding, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
    try (OutputStream compressing = encoding == Encoding.GZIP ? new GZIPOutputStream(out)
        : new DeflaterOutputStream(out)) {
      compressing.write(body);
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible); // in-memory streams do not fail
    }
    return out.toByteArray();
  }
}
