package dev.yardmaster.router.pool;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.EventLoopScheduler;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.endpoint.EndpointGroup;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.util.ReleasableHolder;
import dev.yardmaster.backend.kserve.KServeEndpointClient;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Endpoint clients on the router's own event loops: Armeria gRPC clients on {@link
 * CommonPools#workerGroup()}, the group the router's Armeria server runs its calls on, whose
 * scheduler gives each call the event loop it was made on. A request the server received on loop L
 * is written to the endpoint on L's own connection, and the answer is read and relayed on L: no
 * thread hop and no wake-up of another thread per request, one HTTP/2 stack to compile and run
 * instead of two. Calls made off the loops (health checks) spread round robin over {@code
 * connections} loops.
 */
final class CallerLoopClients {

  /** Connections idle this long close; the next call opens one again. */
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

  private CallerLoopClients() {}

  /**
   * The clients of one endpoint: gRPC stubs, and a {@link WebClient} that sends gRPC frames as they
   * are (the pass-through ModelInfer path); both share one client factory, so one HTTP/2 connection
   * per loop. Closing the gRPC client closes the factory and with it both.
   */
  record Clients(KServeEndpointClient grpc, WebClient frames) {}

  /**
   * Clients to {@code host:port}; {@code connections} is how many loops calls made off the
   * router's event loops use. Closing the gRPC client closes their connections.
   */
  static Clients connect(String host, int port, int connections, int maxMessageBytes) {
    if (connections < 1 || connections > 64) {
      throw new IllegalArgumentException("connections: " + connections + " (expected: >= 1 and <= 64)");
    }
    ClientFactory factory = ClientFactory.builder()
        .workerGroup(CommonPools.workerGroup(), false)
        .eventLoopSchedulerFactory(group -> new CallerLoopScheduler(group, connections))
        .idleTimeout(IDLE_TIMEOUT)
        .build();
    GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub =
        GrpcClients.builder(SessionProtocol.H2C, Endpoint.of(host, port))
            .factory(factory)
            .responseTimeout(Duration.ZERO) // each call carries the caller's deadline
            .maxRequestMessageLength(maxMessageBytes)
            .maxResponseMessageLength(maxMessageBytes)
            .maxResponseLength(0) // the message limit above counts: above it, only that call's stream is reset
            .build(GRPCInferenceServiceGrpc.GRPCInferenceServiceStub.class);
    WebClient frames = WebClient.builder(SessionProtocol.H2C, Endpoint.of(host, port))
        .factory(factory)
        .responseTimeout(Duration.ZERO) // each call carries the caller's deadline
        // no bound here: above Armeria's, the whole connection closes with every call on it;
        // FrameInfer bounds each answer and resets only its stream
        .maxResponseLength(0)
        .build();
    String target = host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    // closed asynchronously: the last call may end on one of the very loops the close runs on
    return new Clients(KServeEndpointClient.over(target, stub.getChannel(), connections,
        grace -> factory.closeAsync()), frames);
  }

  /** The calling thread's loop when it is one of the group's, else the next of {@code spread} loops. */
  static final class CallerLoopScheduler implements EventLoopScheduler {
    private final List<Held> loops = new ArrayList<>();
    private final int spread;
    private final AtomicInteger next = new AtomicInteger();

    CallerLoopScheduler(EventLoopGroup group, int connections) {
      for (EventExecutor executor : group) {
        loops.add(new Held((EventLoop) executor));
      }
      this.spread = Math.min(connections, loops.size());
    }

    @Override
    public ReleasableHolder<EventLoop> acquire(SessionProtocol protocol, EndpointGroup endpointGroup,
        Endpoint endpoint) {
      for (int i = 0; i < loops.size(); i++) {
        Held held = loops.get(i);
        if (held.loop.inEventLoop()) {
          return held;
        }
      }
      return loops.get(Math.floorMod(next.getAndIncrement(), spread));
    }
  }

  /** A loop handed out; nothing to give back, as the loops are shared and never released. */
  private record Held(EventLoop loop) implements ReleasableHolder<EventLoop> {
    @Override
    public EventLoop get() {
      return loop;
    }

    @Override
    public void release() {}
  }
}
