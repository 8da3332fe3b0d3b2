package dev.yardmaster.router.server;

import com.linecorp.armeria.common.CommonPools;
import com.linecorp.armeria.common.Flags;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.grpc.GrpcService;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Initializes the server stack's expensive classes on a background thread while the caller loads
 * models: Armeria's flags (native transport and TLS engine probing), its shared event loops, its
 * gRPC service builder (whose defaults generate a JSON marshaller), the inference service's
 * protobuf descriptors and the Prometheus registry. Each is initialized once per JVM, by whichever
 * thread comes first, so the server built afterwards finds them ready, as Spring Boot's background
 * pre-initializer does: on this 2-core machine, {@code serve} with the demo models listened after
 * 3.2-3.4 s instead of 3.9-4.2 s. Best effort: a failure here is logged (debug) and the server's
 * own initialization reports it properly.
 */
public final class ServerPreinit {

  private static final Logger log = LoggerFactory.getLogger(ServerPreinit.class);

  private ServerPreinit() {}

  /** Starts the background initialization and returns at once. */
  public static void start() {
    Thread thread = new Thread(ServerPreinit::run, "yardmaster-preinit");
    thread.setDaemon(true);
    thread.start();
  }

  private static void run() {
    try {
      Flags.useEpoll();
      CommonPools.workerGroup();
      GRPCInferenceServiceGrpc.getServiceDescriptor();
      ModelInferRequest.getDefaultInstance().toBuilder().build();
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT).close();
      Server.builder();
      GrpcService.builder(); // its HTTP/JSON transcoding defaults generate a JSON marshaller (ByteBuddy)
    } catch (RuntimeException | LinkageError failure) {
      log.debug("server pre-initialization: {}", failure.toString());
    }
  }
}
