package dev.yardmaster.router.server;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Netty's buffer leak detection for a whole process. Its default level samples one buffer
 * allocation in 128, records a stack trace for each sampled buffer and tracks it until release;
 * the router-hop benchmark measured that at 15-20% of the router's CPU per request (105 against
 * 122-131 µs at c=1, 46 against 55-58 µs at c=64). The {@code yardmaster} process entry points
 * turn it off, as production Netty servers do, unless the user set a level on the command line;
 * tests run with Netty's default and still catch leaks.
 *
 * <p>Both Netty copies are set: Armeria's, and the one shaded into grpc-java's Netty transport
 * that the load generators and profilers call through.
 */
public final class NettyLeakDetection {

  /** The system properties Netty reads its level from (the second is the deprecated spelling). */
  static final List<String> LEVEL_PROPERTIES = List.of("io.netty.leakDetection.level", "io.netty.leakDetectionLevel");

  private NettyLeakDetection() {}

  /** Turns leak detection off in both Netty copies unless a level property is set. */
  public static void offUnlessConfigured() {
    if (configured(System::getProperty)) {
      return;
    }
    io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
    io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.setLevel(
        io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.Level.DISABLED);
  }

  /** Whether the user chose a level: any of {@link #LEVEL_PROPERTIES} set, to anything. */
  static boolean configured(UnaryOperator<String> properties) {
    return LEVEL_PROPERTIES.stream().anyMatch(name -> properties.apply(name) != null);
  }
}
