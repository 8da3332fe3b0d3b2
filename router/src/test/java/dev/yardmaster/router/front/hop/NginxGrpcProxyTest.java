package dev.yardmaster.router.front.hop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.ByteString;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** nginx as the peer proxy: the generated conf, and (where nginx is installed) real calls through it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NginxGrpcProxyTest {

  @TempDir Path work;

  @Test
  void confProxiesGrpcOverKeptAliveUpstreamConnections() {
    String conf = NginxGrpcProxy.conf(work, 18080, 18001);
    assertThat(conf)
        .contains("listen 127.0.0.1:18080 http2;")
        .contains("server 127.0.0.1:18001;")
        .contains("grpc_pass grpc://yardmaster_backend;")
        .contains("keepalive 64;")
        .contains("keepalive_requests 100000000;")
        .contains("pid " + work.toAbsolutePath() + "/nginx.pid;");
  }

  @Test
  void callsGoThroughNginxToTheBackendAndStopWithIt() throws Exception {
    Optional<Path> nginx = NginxGrpcProxy.find();
    assumeTrue(nginx.isPresent(), NginxGrpcProxy.MISSING);
    Server backend = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new Echo()).build().start();
    int port;
    try (NginxGrpcProxy proxy = NginxGrpcProxy.start(nginx.get(), work.resolve("nginx"), backend.getPort(),
        Duration.ofSeconds(10))) {
      port = proxy.port();
      ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        ClosedLoopLoad.Result result = ClosedLoopLoad.run(channel, 4, 1, 2); // generous: a cold JVM on a shared box
        assertThat(result.errors()).isZero();
        assertThat(result.perSecond()).isPositive();
      } finally {
        channel.shutdownNow();
      }
    } finally {
      backend.shutdownNow();
    }
    assertThat(accepts(port)).as("nginx stopped with close()").isFalse();
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** Answers each ModelInfer with one FP32 output. */
  private static final class Echo extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
      out.onNext(ModelInferResponse.newBuilder().setModelName(request.getModelName())
          .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName("y").setDatatype("FP32")
              .addShape(1).addShape(1))
          .addRawOutputContents(ByteString.copyFrom(new byte[4])).build());
      out.onCompleted();
    }
  }
}
