package dev.yardmaster.router.server;

import com.linecorp.armeria.common.Flags;
import com.linecorp.armeria.common.util.TransportType;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The acceptor ("boss") event loop of one Armeria server port, for {@code
 * ServerBuilder.bossGroupFactory(QuickStopBossGroup::new)}. Armeria 1.36 stops a port's acceptor
 * with Netty's {@code shutdownGracefully()}, whose 2 s quiet period made every server stop take 2 s
 * even when idle; here that call ends the loop without a quiet period. By then Armeria has closed the
 * listening socket and drained the connections, so there is nothing left for the loop to wait for.
 * Same transport and thread as Armeria's own acceptor: one non-daemon thread named as Armeria names it.
 */
public final class QuickStopBossGroup extends MultiThreadIoEventLoopGroup {

  /** The hard limit on stopping the acceptor loop; it takes a few milliseconds. */
  private static final long SHUTDOWN_TIMEOUT_MILLIS = 1000;

  /** One acceptor thread named {@code threadName} (the name Armeria chooses for the port). */
  public QuickStopBossGroup(String threadName) {
    super(1, (ThreadFactory) runnable -> new FastThreadLocalThread(runnable, threadName),
        ioHandlerFactory(Flags.transportType()));
  }

  @Override
  public Future<?> shutdownGracefully() {
    return shutdownGracefully(0, SHUTDOWN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** The I/O handler of Armeria's transport; the native ones by name, as Armeria loads them. */
  private static IoHandlerFactory ioHandlerFactory(TransportType transport) {
    String handler = switch (transport) {
      case NIO -> null;
      case EPOLL -> "io.netty.channel.epoll.EpollIoHandler";
      case KQUEUE -> "io.netty.channel.kqueue.KQueueIoHandler";
      case IO_URING -> "io.netty.channel.uring.IoUringIoHandler";
    };
    if (handler == null) {
      return NioIoHandler.newFactory();
    }
    try {
      return (IoHandlerFactory) Class.forName(handler).getMethod("newFactory").invoke(null);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException("transport " + transport.lowerCasedName() + ": " + handler
          + ".newFactory() unavailable (expected: on the class path, as Armeria chose this transport)", e);
    }
  }
}
