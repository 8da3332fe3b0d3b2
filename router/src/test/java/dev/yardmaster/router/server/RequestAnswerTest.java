package dev.yardmaster.router.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.protocol.DataType;
import dev.yardmaster.protocol.Tensor;
import dev.yardmaster.router.admission.Admission;
import dev.yardmaster.router.admission.AdmissionConfig;
import dev.yardmaster.router.admission.AdmittedRequest;
import dev.yardmaster.router.policy.Tier;
import dev.yardmaster.router.server.metrics.RequestMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each admitted request is answered exactly once, by its model or by its deadline, and drains. */
class RequestAnswerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final FakeModelManager manager = FakeModelManager.standard();
  private final ServingCore core = new ServingCore(manager);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AdmittedInference inference = new AdmittedInference(core,
      Admission.create(AdmissionConfig.defaults()), new RequestMetrics(registry, "local", Tier.DEFAULTS));
  private final Queue<Object> answers = new ConcurrentLinkedQueue<>();
  private final CompletableFuture<Void> gate = manager.model("slow", "1").closeGate();

  @AfterEach
  void openTheGateAndDrain() {
    gate.complete(null);
    awaitTrue("the model to finish", () -> core.inFlight() == 0);
  }

  private static ServiceRequestContext context(Duration armeriaTimeout) {
    ServiceRequestContext ctx = ServiceRequestContext.of(HttpRequest.of(HttpMethod.POST, "/"));
    if (armeriaTimeout.isZero()) {
      ctx.clearRequestTimeout();
    } else {
      ctx.setRequestTimeout(armeriaTimeout);
    }
    return ctx;
  }

  private void infer(ServiceRequestContext ctx, AdmittedRequest admitted) {
    InferRequest request = InferRequest.of("slow", "", List.of());
    inference.infer(ctx, admitted, request, (response, error) -> answers.add(error == null ? response : error));
  }

  private double requests(String outcome) {
    Counter counter = registry.find("yardmaster.requests").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aDeadlinePassingWhileTheModelHoldsTheRequestAnswersOnceAndStillDrains() {
    AdmittedRequest admitted = new AdmittedRequest(Tier.GOLD, AdmittedRequest.NO_DEADLINE,
        TimeUnit.MILLISECONDS.toNanos(300));

    infer(context(Duration.ZERO), admitted);

    awaitTrue("the deadline's answer", () -> !answers.isEmpty());
    assertThat(core.inFlight()).as("the model still holds the request").isEqualTo(1);
    gate.complete(null);
    awaitTrue("the model to finish", () -> core.inFlight() == 0);
    assertThat(answers).singleElement().isInstanceOfSatisfying(InferenceException.class, error -> {
      assertThat(error.status()).isEqualTo(InferenceException.Status.DEADLINE_EXCEEDED);
      assertThat(error.getMessage()).startsWith("deadline: passed after").contains("model 'slow'");
    });
    assertThat(requests("deadline_exceeded")).isEqualTo(1);
    assertThat(requests("success")).isZero();
  }

  @Test
  void aResultAfterADeadlineArmeriaEnforcesIsDeadlineExceeded() {
    ServiceRequestContext ctx = context(Duration.ofSeconds(30));
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
    AdmittedRequest admitted = new AdmittedRequest(Tier.SILVER, deadline, AdmittedRequest.NO_BUDGET);

    infer(ctx, admitted);
    awaitTrue("the deadline to pass", () -> System.nanoTime() - deadline > 0);
    assertThat(answers).as("Armeria answers the client; no timer of ours").isEmpty();
    gate.complete(null);

    awaitTrue("the model to finish", () -> core.inFlight() == 0);
    assertThat(answers).singleElement().isInstanceOfSatisfying(InferenceException.class,
        error -> assertThat(error.status()).isEqualTo(InferenceException.Status.DEADLINE_EXCEEDED));
    assertThat(requests("deadline_exceeded")).isEqualTo(1);
  }

  @Test
  void aResultInTimeIsTheAnswerAndTheDeadlineStaysSilent() throws Exception {
    AdmittedRequest admitted = new AdmittedRequest(Tier.GOLD, AdmittedRequest.NO_DEADLINE,
        TimeUnit.MILLISECONDS.toNanos(500));
    gate.complete(null);

    infer(context(Duration.ZERO), admitted);
    awaitTrue("the answer", () -> !answers.isEmpty());
    Thread.sleep(700); // past the deadline: its task must have been cancelled or found the answer given

    assertThat(answers).singleElement().isNotInstanceOf(Throwable.class);
    assertThat(requests("success")).isEqualTo(1);
    assertThat(requests("deadline_exceeded")).isZero();
  }

  @Test
  void aSmallAnswerIsGivenOnTheCallsEventLoopALargeOneWhereTheModelFinished() {
    ServiceRequestContext ctx = context(Duration.ZERO);
    AdmittedRequest admitted = AdmittedRequest.of(Tier.BRONZE);
    Queue<Boolean> onEventLoop = new ConcurrentLinkedQueue<>();
    for (int bytes : new int[] {16, RequestAnswer.EVENT_LOOP_ANSWER_LIMIT_BYTES + 1}) {
      Tensor input = Tensor.of("X", DataType.UINT8, new long[] {bytes}, new byte[bytes]);
      inference.infer(ctx, admitted, InferRequest.of("echo", "1", List.of(input)),
          (response, error) -> onEventLoop.add(error == null && ctx.eventLoop().inEventLoop()));
      awaitTrue("the answer", () -> onEventLoop.size() == (bytes == 16 ? 1 : 2));
    }

    assertThat(onEventLoop).containsExactly(true, false);
    assertThat(requests("success")).isEqualTo(2);
  }

  private static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() - deadline).as("waiting for " + what).isNegative();
      LockSupport.parkNanos(1_000_000);
    }
  }
}
