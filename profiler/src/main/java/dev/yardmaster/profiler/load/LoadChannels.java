package dev.yardmaster.profiler.load;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC channels one driver spreads its streams over, each its own HTTP/2 connection. Reuse one
 * across the runs of a sweep so every run does not reconnect.
 */
public final class LoadChannels implements AutoCloseable {

  /**
   * HTTP/2 flow-control window: large, so a batch-64 wide request never waits for a window update.
   */
  static final int FLOW_CONTROL_WINDOW_BYTES = 16 << 20;

  static final int MAX_MESSAGE_BYTES = 256 << 20;

  private final List<ManagedChannel> channels;

  private LoadChannels(List<ManagedChannel> channels) {
    this.channels = List.copyOf(channels);
  }

  /** Opens {@code count} plaintext channels to the target (connections are made lazily). */
  public static LoadChannels open(Target target, int count) {
    if (count < 1 || count > LoadSpec.MAX_CHANNELS) {
      throw new IllegalArgumentException(
          "count: " + count + " (expected: >= 1 and <= " + LoadSpec.MAX_CHANNELS + ")");
    }
    List<ManagedChannel> opened = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      opened.add(
          NettyChannelBuilder.forAddress(target.host(), target.port())
              .usePlaintext()
              .flowControlWindow(FLOW_CONTROL_WINDOW_BYTES)
              .maxInboundMessageSize(MAX_MESSAGE_BYTES)
              // callbacks only record a latency and start the next call: run them on the event loop
              .directExecutor()
              .build());
    }
    return new LoadChannels(opened);
  }

  /** Opens the channels a spec asks for. */
  public static LoadChannels open(LoadSpec spec) {
    return open(spec.target(), spec.channelCount());
  }

  /** How many channels there are. */
  public int size() {
    return channels.size();
  }

  /** The channel stream {@code stream} uses: streams are spread round-robin. */
  public ManagedChannel forStream(int stream) {
    return channels.get(Math.floorMod(stream, channels.size()));
  }

  /** Shuts every channel down, waiting up to one second before forcing it. */
  @Override
  public void close() {
    for (ManagedChannel channel : channels) {
      channel.shutdown();
    }
    try {
      for (ManagedChannel channel : channels) {
        if (!channel.awaitTermination(1, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }
}
