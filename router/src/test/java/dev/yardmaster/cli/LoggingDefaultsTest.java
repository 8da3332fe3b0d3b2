package dev.yardmaster.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http2.DefaultHttp2ConnectionDecoder;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The CLI's logging defaults ({@code simplelogger.properties}) as slf4j-simple reads them. */
class LoggingDefaultsTest {

  @Test
  void nettysLineForEachDataFrameAfterAResetIsQuietWhileInfoLinesStay() {
    assertThat(LoggerFactory.getLogger(DefaultHttp2ConnectionDecoder.class).isInfoEnabled()).isFalse();
    assertThat(LoggerFactory.getLogger(DefaultHttp2ConnectionDecoder.class).isWarnEnabled()).isTrue();
    assertThat(LoggerFactory.getLogger(LoggingDefaultsTest.class).isInfoEnabled()).isTrue();
  }
}
