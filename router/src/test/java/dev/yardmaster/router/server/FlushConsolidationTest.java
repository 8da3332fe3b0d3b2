package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import org.junit.jupiter.api.Test;

/**
 * Where the consolidating handler goes. That it coalesces flushes outside reads is Netty's
 * {@code consolidateWhenNoReadInProgress}; in an EmbeddedChannel the deferred flush happened at
 * once, so the deferral is shown by the bench (CPU per request) rather than here.
 */
class FlushConsolidationTest {

  @Test
  void replacesArmeriasReadOnlyConsolidationInPlace() {
    FlushConsolidationHandler armerias = new FlushConsolidationHandler();
    ChannelDuplexHandler server = new ChannelDuplexHandler();
    EmbeddedChannel channel = new EmbeddedChannel(armerias, server);

    FlushConsolidation.consolidateOutsideReads(channel.pipeline());

    assertThat(channel.pipeline().first()).isInstanceOf(FlushConsolidationHandler.class).isNotSameAs(armerias);
    assertThat(channel.pipeline().last()).isSameAs(server);
    assertThat(channel.pipeline().toMap()).hasSize(2);
    channel.finishAndReleaseAll();
  }

  @Test
  void addsConsolidationFirstWhereThePipelineHadNone() {
    ChannelDuplexHandler server = new ChannelDuplexHandler();
    EmbeddedChannel channel = new EmbeddedChannel(server);

    FlushConsolidation.consolidateOutsideReads(channel.pipeline());

    assertThat(channel.pipeline().first()).isInstanceOf(FlushConsolidationHandler.class);
    assertThat(channel.pipeline().last()).isSameAs(server);
    channel.finishAndReleaseAll();
  }
}
