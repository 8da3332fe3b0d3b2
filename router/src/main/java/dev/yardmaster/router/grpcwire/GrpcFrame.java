package dev.yardmaster.router.grpcwire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * One gRPC message as its frame: a flag byte (1: compressed), four bytes of message length, then
 * the serialized message. Read with the message's bytes fields aliasing the frame (no tensor is
 * copied); written with the message serialized straight into the frame.
 */
public final class GrpcFrame {

  /** The frame header: one flag byte, four bytes of message length. */
  public static final int HEADER_BYTES = 5;

  private GrpcFrame() {}

  /** Whether {@code frame} is exactly one uncompressed message, its header declaring the rest. */
  public static boolean isOneUncompressedMessage(byte[] frame) {
    return frame.length >= HEADER_BYTES && frame[0] == 0 && messageLength(frame) == frame.length - HEADER_BYTES;
  }

  /**
   * The message {@code frame} holds, or null when it is not exactly one uncompressed message that
   * {@code parser} reads whole. Bytes fields alias {@code frame}, which must not change afterwards.
   */
  public static <T> @Nullable T parse(byte[] frame, Parser<T> parser) {
    if (!isOneUncompressedMessage(frame)) {
      return null;
    }
    CodedInputStream in = CodedInputStream.newInstance(frame, HEADER_BYTES, frame.length - HEADER_BYTES);
    in.enableAliasing(true);
    try {
      return parser.parseFrom(in);
    } catch (InvalidProtocolBufferException malformed) {
      return null;
    }
  }

  /** {@code message} serialized into one uncompressed frame, with no intermediate copy. */
  public static byte[] of(MessageLite message) {
    int size = message.getSerializedSize();
    byte[] frame = new byte[HEADER_BYTES + size];
    writeLength(frame, size);
    CodedOutputStream out = CodedOutputStream.newInstance(frame, HEADER_BYTES, size);
    try {
      message.writeTo(out);
      out.checkNoSpaceLeft();
    } catch (IOException impossible) { // the array has exactly the serialized size
      throw new IllegalStateException("gRPC frame: " + impossible.getMessage(), impossible);
    }
    return frame;
  }

  /** {@code message} (already serialized) as one uncompressed frame. */
  public static byte[] of(byte[] message) {
    byte[] frame = new byte[HEADER_BYTES + message.length];
    writeLength(frame, message.length);
    System.arraycopy(message, 0, frame, HEADER_BYTES, message.length);
    return frame;
  }

  /** Writes {@code messageLength} into the header of {@code frame}. */
  public static void writeLength(byte[] frame, int messageLength) {
    frame[1] = (byte) (messageLength >>> 24);
    frame[2] = (byte) (messageLength >>> 16);
    frame[3] = (byte) (messageLength >>> 8);
    frame[4] = (byte) messageLength;
  }

  /** The message length the frame header declares; negative when it exceeds an int. */
  public static int messageLength(byte[] frame) {
    return ((frame[1] & 0xff) << 24) | ((frame[2] & 0xff) << 16) | ((frame[3] & 0xff) << 8) | (frame[4] & 0xff);
  }
}
