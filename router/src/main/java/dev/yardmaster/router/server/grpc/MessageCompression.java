package dev.yardmaster.router.server.grpc;

import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.DecompressorRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;

/**
 * The gRPC message encodings the servers accept: grpc-java's (gzip, identity) and {@code deflate},
 * which Triton's gRPC server and {@code tritonclient.grpc}'s {@code compression_algorithm="deflate"}
 * use and grpc-java leaves out. gRPC's deflate is the zlib format (RFC 1950), Java's default.
 */
public final class MessageCompression {

  /** The {@code deflate} message encoding. */
  public static final Codec DEFLATE = new Codec() {
    @Override
    public String getMessageEncoding() {
      return "deflate";
    }

    @Override
    public OutputStream compress(OutputStream os) {
      return new DeflaterOutputStream(os);
    }

    @Override
    public InputStream decompress(InputStream is) {
      return new InflaterInputStream(is);
    }
  };

  private MessageCompression() {}

  /** grpc-java's decompressors plus deflate, advertised. */
  public static DecompressorRegistry decompressors() {
    return DecompressorRegistry.getDefaultInstance().with(DEFLATE, true);
  }

  /** A new registry of gzip, identity and deflate (grpc-java's default instance stays as it is). */
  public static CompressorRegistry compressors() {
    CompressorRegistry registry = CompressorRegistry.newEmptyInstance();
    registry.register(new Codec.Gzip());
    registry.register(Codec.Identity.NONE);
    registry.register(DEFLATE);
    return registry;
  }
}
