package dev.yardmaster.router.demo;

import dev.yardmaster.profiler.load.ArrivalProcess;
import dev.yardmaster.profiler.load.LoadChannels;
import dev.yardmaster.profiler.load.LoadRequest;
import dev.yardmaster.profiler.load.Target;
import dev.yardmaster.protocol.v2.GRPCInferenceServiceGrpc;
import dev.yardmaster.protocol.v2.ModelInferRequest;
import dev.yardmaster.protocol.v2.ModelInferResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The tour's load: open-loop Poisson arrivals through the router, phase after phase, each request
 * carrying an {@code x-sla-tier} drawn from the {@link TierMixer}; at most {@code maxOutstanding}
 * requests in flight (an arrival that finds the cap full is dropped and counted). Latency runs from
 * the intended arrival time, so a stalled sender does not hide queueing. The answering pool comes
 * from the router's {@code x-yardmaster-pool} response header. Bounded: every phase ends on time,
 * and outstanding requests get the deadline plus a second before they are cancelled.
 */
final class MixedTierLoad {

  static final Metadata.Key<String> SLA_TIER = Metadata.Key.of("x-sla-tier", Metadata.ASCII_STRING_MARSHALLER);
  static final Metadata.Key<String> POOL = Metadata.Key.of("x-yardmaster-pool", Metadata.ASCII_STRING_MARSHALLER);

  private final Target router;
  private final List<LoadRequest> requests;
  private final TierMixer mix;
  private final List<Long> budgetNanos;
  private final int maxOutstanding;
  private final Duration deadline;
  private final PrintWriter progress;

  /**
   * @param budgetNanos each tier's p99 budget in mix order; {@link Long#MAX_VALUE} for best effort
   */
  MixedTierLoad(Target router, List<LoadRequest> requests, TierMixer mix, List<Long> budgetNanos, int maxOutstanding,
      Duration deadline, PrintWriter progress) {
    if (requests.isEmpty() || budgetNanos.size() != mix.tiers().size() || maxOutstanding < 1) {
      throw new IllegalArgumentException("load: requests " + requests.size() + ", budgets " + budgetNanos.size()
          + ", max outstanding " + maxOutstanding + " (expected: >= 1 request, one budget per tier, >= 1)");
    }
    this.router = router;
    this.requests = List.copyOf(requests);
    this.mix = mix;
    this.budgetNanos = List.copyOf(budgetNanos);
    this.maxOutstanding = maxOutstanding;
    this.deadline = deadline;
    this.progress = progress;
  }

  /** Runs the phases in order; the recorded ones count in the result, each also on its own. */
  LoadResult run(List<LoadPhase> phases, long seed) {
    List<TierTally> tallies = new ArrayList<>();
    for (int t = 0; t < mix.tiers().size(); t++) {
      tallies.add(new TierTally(mix.tiers().get(t), budgetNanos.get(t)));
    }
    List<LoadPhase> recorded = new ArrayList<>();
    List<List<TierTally>> phaseTallies = new ArrayList<>();
    Semaphore slots = new Semaphore(maxOutstanding);
    TierMixer.Sequence tiers = mix.sequence(seed);
    try (LoadChannels channels = LoadChannels.open(router, 2)) {
      long arrival = 0;
      for (int p = 0; p < phases.size(); p++) {
        LoadPhase phase = phases.get(p);
        List<TierTally> thisPhase = phase.recorded() ? tallies.stream().map(TierTally::phase).toList() : List.of();
        if (phase.recorded()) {
          recorded.add(phase);
          phaseTallies.add(thisPhase);
        }
        progress.printf(Locale.ROOT, "  %-8s %5.0f req/s for %.1f s%s%n", phase.name(), phase.requestsPerSecond(),
            phase.duration().toMillis() / 1e3, phase.recorded() ? "" : " (warm-up, not recorded)");
        progress.flush();
        DoubleSupplier gaps = ArrivalProcess.poisson(phase.requestsPerSecond(), seed + p).gapsNanos();
        long start = System.nanoTime();
        long end = start + phase.duration().toNanos();
        long maxArrivals = (long) Math.ceil(phase.requestsPerSecond() * phase.duration().toMillis() / 1e3 * 2) + 64;
        double offset = 0;
        for (long k = 0; k < maxArrivals; k++) {
          long intended = start + (long) offset;
          offset += gaps.getAsDouble();
          if (intended >= end || !sleepUntil(intended)) {
            break;
          }
          int tier = tiers.next();
          @Nullable TierTally tally = phase.recorded() ? thisPhase.get(tier) : null;
          if (!slots.tryAcquire()) {
            if (tally != null) {
              tally.dropped();
            }
            continue;
          }
          send(channels, requests.get((int) (arrival++ % requests.size())), mix.tiers().get(tier), intended, tally,
              slots);
        }
        sleepUntil(end);
      }
      awaitOutstanding(slots);
    }
    List<PhaseResult> byPhase = new ArrayList<>();
    for (int p = 0; p < recorded.size(); p++) {
      byPhase.add(new PhaseResult(recorded.get(p).name(), recorded.get(p).requestsPerSecond(),
          phaseTallies.get(p).stream().map(TierTally::result).toList()));
    }
    return new LoadResult(tallies.stream().map(TierTally::result).toList(), byPhase);
  }

  private void send(LoadChannels channels, LoadRequest request, String tier, long intended, @Nullable TierTally tally,
      Semaphore slots) {
    ClientCall<ModelInferRequest, ModelInferResponse> call = channels.forStream((int) (intended & 1))
        .newCall(GRPCInferenceServiceGrpc.getModelInferMethod(),
            CallOptions.DEFAULT.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS));
    Metadata headers = new Metadata();
    headers.put(SLA_TIER, tier);
    if (tally != null) {
      tally.sent();
    }
    ClientCall.Listener<ModelInferResponse> listener = new ClientCall.Listener<>() {
      private volatile String pool = "?";

      @Override
      public void onHeaders(Metadata responseHeaders) {
        String value = responseHeaders.get(POOL);
        if (value != null) {
          pool = value;
        }
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        long latency = System.nanoTime() - intended;
        if (tally != null) {
          if (status.isOk()) {
            tally.answered(pool, latency);
          } else if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) {
            tally.shed();
          } else {
            tally.failed(status.getCode().name());
          }
        }
        slots.release();
      }
    };
    try {
      call.start(listener, headers);
    } catch (RuntimeException e) {
      if (tally != null) {
        tally.failed(Status.Code.INTERNAL.name()); // no listener callback follows a failed start
      }
      slots.release();
      return;
    }
    try {
      call.request(1);
      call.sendMessage(request.message());
      call.halfClose();
    } catch (RuntimeException e) {
      call.cancel("tour load failed to send", e); // the listener sees the close and frees the slot
    }
  }

  /** Parks until {@code target}; false if interrupted. */
  private static boolean sleepUntil(long target) {
    for (long now = System.nanoTime(); now < target; now = System.nanoTime()) {
      if (Thread.currentThread().isInterrupted()) {
        return false;
      }
      LockSupport.parkNanos(target - now);
    }
    return true;
  }

  private void awaitOutstanding(Semaphore slots) {
    try {
      if (slots.tryAcquire(maxOutstanding, deadline.toMillis() + 1_000, TimeUnit.MILLISECONDS)) {
        slots.release(maxOutstanding);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
