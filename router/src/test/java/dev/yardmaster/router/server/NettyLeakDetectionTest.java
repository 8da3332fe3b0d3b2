package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NettyLeakDetectionTest {

  @Test
  void aLevelOnTheCommandLineIsTheUsersChoice() {
    assertThat(NettyLeakDetection.configured(Map.of("io.netty.leakDetection.level", "paranoid")::get)).isTrue();
    assertThat(NettyLeakDetection.configured(Map.of("io.netty.leakDetectionLevel", "simple")::get)).isTrue();
    assertThat(NettyLeakDetection.configured(Map.of("io.netty.allocator.type", "pooled")::get)).isFalse();
  }

  @Test
  void turnsBothNettyCopiesOffWhenNoLevelIsSet() {
    ResourceLeakDetector.Level armeria = ResourceLeakDetector.getLevel();
    io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.Level grpc =
        io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.getLevel();
    try {
      NettyLeakDetection.offUnlessConfigured();
      boolean userChose = NettyLeakDetection.configured(System::getProperty);
      assertThat(ResourceLeakDetector.getLevel())
          .isEqualTo(userChose ? armeria : ResourceLeakDetector.Level.DISABLED);
      assertThat(io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.getLevel())
          .isEqualTo(userChose ? grpc : io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.Level.DISABLED);
    } finally { // the rest of the test JVM keeps Netty's default, which catches leaks
      ResourceLeakDetector.setLevel(armeria);
      io.grpc.netty.shaded.io.netty.util.ResourceLeakDetector.setLevel(grpc);
    }
  }
}
