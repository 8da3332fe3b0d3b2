package dev.yardmaster.router.front.hop;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import dev.yardmaster.backend.onnx.DemoModels;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.ManagedChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Closed-loop load of batch-1 higgs_mlp_v1 ModelInfer calls: {@code concurrency} streams on one
 * channel, each sending its next request when the last answer arrives. Only answers to requests
 * sent after the warm-up and received before the end are recorded.
 */
final class ClosedLoopLoad {

  private static final long CALL_DEADLINE_SECONDS = 10;

  /**
   * One measured point.
   *
   * @param p50Micros median latency
   * @param p99Micros 99th percentile latency
   * @param perSecond answers per second in the measured window
   * @param errors calls that failed (warm-up included)
   * @param answered calls answered (warm-up included)
   */
  record Result(long p50Micros, long p99Micros, double perSecond, long errors, long answered) {}

  private ClosedLoopLoad() {}

  static ModelInferRequest request() {
    return ModelInferRequest.newBuilder()
        .setModelName(DemoModels.HIGGS_MLP_V1)
        .addInputs(ModelInferRequest.InferInputTensor.newBuilder()
            .setName(DemoModels.mlp(DemoModels.HIGGS_MLP_V1).inputName())
            .setDatatype("FP32").addShape(1).addShape(DemoModels.HIGGS_FEATURES))
        .addRawInputContents(ByteString.copyFrom(new byte[DemoModels.HIGGS_FEATURES * 4]))
        .build();
  }

  static Result run(ManagedChannel channel, int concurrency, double warmupSeconds, double measureSeconds)
      throws InterruptedException {
    var stub = GRPCInferenceServiceGrpc.newFutureStub(channel);
    ModelInferRequest request = request();
    Recorder recorder = new Recorder(3);
    AtomicLong errors = new AtomicLong();
    AtomicLong answered = new AtomicLong();
    long measureStart = System.nanoTime() + (long) (warmupSeconds * 1e9);
    long end = measureStart + (long) (measureSeconds * 1e9);
    CountDownLatch done = new CountDownLatch(concurrency);
    for (int i = 0; i < concurrency; i++) {
      new Runnable() {
        @Override
        public void run() {
          long start = System.nanoTime();
          if (start > end) {
            done.countDown();
            return;
          }
          Futures.addCallback(stub.withDeadlineAfter(CALL_DEADLINE_SECONDS, TimeUnit.SECONDS).modelInfer(request),
              new FutureCallback<ModelInferResponse>() {
                @Override
                public void onSuccess(ModelInferResponse result) {
                  long now = System.nanoTime();
                  answered.incrementAndGet();
                  if (start >= measureStart && now <= end) {
                    recorder.recordValue((now - start) / 1000);
                  }
                  run();
                }

                @Override
                public void onFailure(Throwable t) {
                  errors.incrementAndGet();
                  run();
                }
              }, MoreExecutors.directExecutor());
        }
      }.run();
    }
    done.await((long) (warmupSeconds + measureSeconds) + CALL_DEADLINE_SECONDS + 5, TimeUnit.SECONDS);
    Histogram histogram = recorder.getIntervalHistogram();
    return new Result(histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
        histogram.getTotalCount() / measureSeconds, errors.get(), answered.get());
  }
}
