package dev.yardmaster.profiler.sweep;

import dev.yardmaster.profiler.load.LoadChannels;
import dev.yardmaster.profiler.load.LoadSpec;
import dev.yardmaster.profiler.load.RequestFactory;
import dev.yardmaster.profiler.pricing.InstancePrice;
import dev.yardmaster.profiler.pricing.PriceOrigin;
import dev.yardmaster.profiler.pricing.PriceRequest;
import dev.yardmaster.profiler.pricing.PriceResolution;
import dev.yardmaster.profiler.pricing.PriceResolver;
import dev.yardmaster.profiler.profile.Profile;
import dev.yardmaster.profiler.profile.ProfileEntry;
import dev.yardmaster.profiler.profile.ProfileEntry.GridPoint;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * Sweeps one model over the plan's grid on each target in turn and builds its profile. A target
 * that cannot be reached, lacks the model or has no price is reported as missing and the sweep goes
 * on; {@link #stop()} (from a shutdown hook on Ctrl-C) ends it after the current window with what
 * was measured so far.
 *
 * <pre>{@code
 * SweepResult result = Sweep.builder("higgs_mlp_v1", SweepPlan.defaults()).prices(resolver).build()
 *     .run(List.of(new SweepTarget(Target.parse("127.0.0.1:8001"), "", "onnxruntime", "cpu-local",
 *         "c7g.xlarge", "cpu", null)));
 * }</pre>
 */
public final class Sweep {

  private final String model;
  private final SweepPlan plan;
  private final @Nullable PriceResolver prices;
  private final SweepListener listener;
  private final @Nullable Path dataFile;
  private final List<Profile.TierBudget> tiers;
  private final AtomicBoolean stopped = new AtomicBoolean();

  private Sweep(Builder builder) {
    this.model = builder.model;
    this.plan = builder.plan;
    this.prices = builder.prices;
    this.listener = builder.listener;
    this.dataFile = builder.dataFile;
    this.tiers = builder.tiers;
  }

  /** A builder for a sweep of {@code model} with {@code plan}. */
  public static Builder builder(String model, SweepPlan plan) {
    return new Builder(model, plan);
  }

  /** Ends the sweep after the current measurement window; {@link #run} returns the partial result. */
  public void stop() {
    stopped.set(true);
  }

  /** Whether {@link #stop()} was called. */
  public boolean isStopped() {
    return stopped.get();
  }

  /** Measures every target; never throws for a target's failure (it is reported as missing). */
  public SweepResult run(List<SweepTarget> targets) {
    List<ProfileEntry> entries = new ArrayList<>();
    Map<String, List<PointResult>> points = new LinkedHashMap<>();
    List<MissingTarget> missing = new ArrayList<>();
    List<PriceResolution> priced = new ArrayList<>();
    int maxConcurrency = Collections.max(plan.concurrencies());
    int[] done = {0};
    int total = targets.size() * plan.concurrencies().size()
        * (plan.batches().isEmpty() ? 7 : plan.batches().size()); // estimate until the model is known
    List<Profile.UnmeasuredPoint> unmeasured = new ArrayList<>();
    for (SweepTarget target : targets) {
      if (stopped.get()) {
        report(missing, new MissingTarget(target.pool(), target.endpoint().toString(), "points",
            "interrupted before this target (expected: the whole grid)"));
        continue;
      }
      String endpoint = target.endpoint().toString();
      try (LoadChannels channels = LoadChannels.open(target.endpoint(), LoadSpec.defaultChannels(maxConcurrency))) {
        ModelInputs inputs;
        try {
          inputs = ModelInputs.fetch(channels.forStream(0), model, target.modelVersion());
          if (dataFile != null) {
            inputs = inputs.withDataFile(dataFile);
          }
        } catch (StatusRuntimeException e) {
          Status.Code code = e.getStatus().getCode();
          String what = code == Status.Code.NOT_FOUND ? "model" : "endpoint";
          report(missing, new MissingTarget(target.pool(), endpoint, what, describe(e)));
          continue;
        } catch (IOException | IllegalArgumentException e) {
          report(missing, new MissingTarget(target.pool(), endpoint, "input data", String.valueOf(e.getMessage())));
          continue;
        }
        double price = price(target, missing, priced);
        int maxBatch = inputs.maxBatchSize();
        List<Integer> batches = plan.batchesFor(maxBatch).stream()
            .filter(b -> maxBatch == 0 ? b == 1 : b <= maxBatch).toList();
        if (plan.batches().isEmpty() || batches.size() != plan.batches().size()) {
          total += (batches.size() - (plan.batches().isEmpty() ? 7 : plan.batches().size()))
              * plan.concurrencies().size();
        }
        ServerStatistics server = ServerStatistics.of(channels.forStream(0), model, inputs.version());
        List<PointResult> measured = new ArrayList<>();
        List<GridPoint> grid = new ArrayList<>();
        for (int batch : batches) {
          @Nullable RequestFactory requests = stopped.get() ? null : inputs.forBatch(batch, plan.seed());
          for (int concurrency : plan.concurrencies()) {
            PointResult point = null;
            if (requests != null && !stopped.get()) {
              listener.onPointStart(target, batch, concurrency, done[0], total);
              point = PointMeasurement.measure(plan, target.endpoint(), channels, requests, batch, concurrency,
                  server, stopped::get);
            }
            if (point == null || point.windows() == 0) { // stopped before or during the warm-up
              unmeasured.add(new Profile.UnmeasuredPoint(target.pool(), batch, concurrency, "interrupted"));
              continue;
            }
            measured.add(point);
            grid.add(point.toGridPoint());
            listener.onPoint(target, point, done[0]++, total);
          }
        }
        points.put(target.pool(), List.copyOf(measured));
        if (server.unavailableReason() != null) {
          listener.onNoServerStatistics(target, server.unavailableReason());
        }
        if (grid.isEmpty()) {
          continue;
        }
        if (grid.stream().allMatch(p -> p.throughput() == 0)) {
          report(missing, new MissingTarget(target.pool(), endpoint, "points",
              "every request failed: " + measured.get(0).errors() + " (expected: successful inferences)"));
        }
        entries.add(new ProfileEntry(inputs.version(), target.backend(), target.pool(), target.instanceType(),
            target.accelerator(), price, grid, null));
      }
    }
    Profile profile = new Profile(Profile.SCHEMA_VERSION, model, Instant.now().toString(), tiers, 0, entries,
        unmeasured).withDerived();
    return new SweepResult(profile, points, missing, stopped.get(), priced);
  }

  private double price(SweepTarget target, List<MissingTarget> missing, List<PriceResolution> priced) {
    PriceRequest request = PriceRequest.of(target.pool(), target.instanceType());
    if (target.pricePerHour() != null) {
      priced.add(new PriceResolution(request, new InstancePrice(target.instanceType(), request.region(),
          target.pricePerHour(), PriceOrigin.OVERRIDE, LocalDate.now(ZoneOffset.UTC)), List.of()));
      return target.pricePerHour();
    }
    if (prices == null) {
      report(missing, new MissingTarget(target.pool(), target.endpoint().toString(), "price",
          "instance type " + target.instanceType() + ": no price source (expected: --price-per-hour or a price table)"));
      return 0;
    }
    PriceResolution resolution = prices.resolve(request);
    priced.add(resolution);
    if (resolution.found().isPresent()) {
      return resolution.found().get().usdPerHour();
    }
    report(missing, new MissingTarget(target.pool(), target.endpoint().toString(), "price",
        "instance type " + target.instanceType() + ": not found " + resolution.reportableMisses()
            + " (expected: a priced instance type; cost shown as 0)"));
    return 0;
  }

  private void report(List<MissingTarget> missing, MissingTarget what) {
    missing.add(what);
    listener.onMissing(what);
  }

  private static String describe(StatusRuntimeException e) {
    Status status = e.getStatus();
    String description = status.getDescription() == null ? "" : ": " + status.getDescription();
    if (status.getCode() == Status.Code.UNAVAILABLE) {
      return "UNAVAILABLE" + description + " (expected: a reachable KServe v2 gRPC endpoint)";
    }
    if (status.getCode() == Status.Code.NOT_FOUND) {
      return "NOT_FOUND" + description + " (expected: the model loaded on this endpoint)";
    }
    return status.getCode() + description + " (expected: ModelMetadata to succeed)";
  }

  /** Builds a {@link Sweep}. */
  public static final class Builder {
    private final String model;
    private final SweepPlan plan;
    private @Nullable PriceResolver prices;
    private SweepListener listener = SweepListener.noop();
    private @Nullable Path dataFile;
    private List<Profile.TierBudget> tiers = Profile.DEFAULT_TIERS;

    private Builder(String model, SweepPlan plan) {
      if (model.isBlank()) {
        throw new IllegalArgumentException("model: '" + model + "' (expected: a model name)");
      }
      this.model = model;
      this.plan = plan;
    }

    /** Resolves prices of targets given by instance type; without it they are reported missing. */
    public Builder prices(PriceResolver value) {
      this.prices = value;
      return this;
    }

    /** Hears about points and misses. */
    public Builder listener(SweepListener value) {
      this.listener = value;
      return this;
    }

    /** Reads input rows from a KServe v2 JSON request file instead of generating them. */
    public Builder dataFile(@Nullable Path value) {
      this.dataFile = value;
      return this;
    }

    /** The tier budgets the derived facts are computed for; default gold 50 ms, silver 150 ms, bronze. */
    public Builder tiers(List<Profile.TierBudget> value) {
      this.tiers = List.copyOf(value);
      return this;
    }

    /** The sweep. */
    public Sweep build() {
      return new Sweep(this);
    }
  }
}
