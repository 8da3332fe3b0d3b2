package dev.yardmaster.backend.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.backend.ModelIndexEntry;
import dev.yardmaster.backend.ServedModel;
import dev.yardmaster.protocol.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryModelManagerTest {

  @TempDir Path repository;

  private final TestModels.IdentityRunnerFactory runners = new TestModels.IdentityRunnerFactory();
  private final TestModels.DirectSchedulerFactory schedulers = new TestModels.DirectSchedulerFactory();
  private RepositoryModelManager manager;

  @AfterEach
  void closeManagerAndCheckEverythingOpenedWasClosed() {
    if (manager != null) {
      manager.close();
      assertThat(runners.closed).containsExactlyInAnyOrderElementsOf(runners.opened);
      assertThat(schedulers.closed).containsExactlyInAnyOrderElementsOf(schedulers.created);
    }
  }

  @Test
  void loadsEveryModelAndResolvesVersions() throws Exception {
    TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4)
        + "version_policy { all { } }\n", 1, 2, 10);
    TestModels.writeModel(repository, "beta", null, 3);

    manager = start(RepositoryOptions.loadAllModels());

    assertThat(manager.readyVersions("alpha")).containsExactly("1", "2", "10");
    assertThat(manager.resolve("alpha", "").spec().version()).isEqualTo("10");
    assertThat(manager.resolve("alpha", "2").spec().version()).isEqualTo("2");
    assertThat(manager.resolve("beta", "").spec().maxBatchSize()).isEqualTo(4);
    assertThat(manager.isReady("alpha", "")).isTrue();
    assertThat(manager.isReady("alpha", "7")).isFalse();
    assertThat(manager.readyModels()).extracting(model -> model.spec().name() + "/" + model.spec().version())
        .containsExactly("alpha/1", "alpha/2", "alpha/10", "beta/3");

    ServedModel served = manager.resolve("alpha", "");
    var response = served.infer(InferRequest.of("alpha", "", List.of(
        Tensor.ofFloats("input", new long[] {2, 4}, new float[8])))).get();
    assertThat(response.modelVersion()).isEqualTo("10");
  }

  @Test
  void modelsLoadSideBySideAtStartAsTritonsLoadThreads() {
    List<String> names = List.of("m1", "m2", "m3", "m4");
    for (String name : names) {
      TestModels.writeModel(repository, name, TestModels.identityConfig(name, 4), 1);
    }
    CountDownLatch allOpening = new CountDownLatch(names.size());
    runners.onOpen = () -> {
      allOpening.countDown();
      if (!await(allOpening)) {
        throw new IllegalStateException("the other models did not open meanwhile (expected: 4 loading at once)");
      }
    };

    manager = start(RepositoryOptions.loadAllModels());

    assertThat(manager.index(false)).extracting(ModelIndexEntry::name, ModelIndexEntry::state)
        .as("each opened while the others did, and none lost another's entry")
        .containsExactly(names.stream().map(name -> tuple(name, ModelIndexEntry.READY)).toArray(Tuple[]::new));
  }

  @Test
  void oneLoadThreadOpensOneModelAtATime() {
    for (String name : List.of("m1", "m2", "m3")) {
      TestModels.writeModel(repository, name, TestModels.identityConfig(name, 4), 1);
    }
    AtomicInteger opening = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    runners.onOpen = () -> {
      mostAtOnce.accumulateAndGet(opening.incrementAndGet(), Math::max);
      sleep(50);
      opening.decrementAndGet();
    };

    manager = start(RepositoryOptions.loadAllModels().withLoadThreads(1));

    assertThat(manager.readyModels()).hasSize(3);
    assertThat(mostAtOnce).hasValue(1);
  }

  @Test
  void loadThreadsAreBetweenOneAndSixtyFour() {
    assertThatThrownBy(() -> RepositoryOptions.loadAllModels().withLoadThreads(0))
        .hasMessage("loadThreads: 0 (expected: >= 1 and <= 64)");
    assertThat(RepositoryOptions.loadAllModels().loadThreads()).isEqualTo(4);
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void unknownModelOrVersionIsNotFound() {
    TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4), 1);
    manager = start(RepositoryOptions.loadAllModels());

    assertThatThrownBy(() -> manager.resolve("x", ""))
        .hasMessage("model 'x' is not found")
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.NOT_FOUND);
    assertThatThrownBy(() -> manager.resolve("alpha", "7"))
        .hasMessage("model 'alpha' version '7' is not found")
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.NOT_FOUND);
    assertThatThrownBy(() -> manager.resolve("alpha", "latest"))
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.NOT_FOUND);
    assertThatThrownBy(() -> manager.load("nope"))
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.NOT_FOUND);
    assertThatThrownBy(() -> manager.load("../alpha"))
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.INVALID_ARGUMENT);
    assertThat(manager.readyVersions("x")).isEmpty();
  }

  @Test
  void brokenModelIsReportedWhileOthersServe() {
    TestModels.writeModel(repository, "good", TestModels.identityConfig("good", 4), 1);
    TestModels.writeModel(repository, "bad_config", "max_batch_size: -1\n", 1);
    TestModels.writeModel(repository, "bad_runtime", TestModels.identityConfig("bad_runtime", 4), 1);
    runners.failingModel = "bad_runtime";

    manager = start(RepositoryOptions.loadAllModels());

    assertThat(manager.isReady("good", "")).isTrue();
    assertThatThrownBy(() -> manager.resolve("bad_config", ""))
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.NOT_FOUND)
        .hasMessageStartingWith(
            "model 'bad_config' has no available versions: model 'bad_config' config.pbtxt: max_batch_size: -1");
    assertThat(manager.index(false)).containsExactly(
        new ModelIndexEntry("bad_config", "", ModelIndexEntry.UNAVAILABLE,
            "model 'bad_config' config.pbtxt: max_batch_size: -1 (expected: >= 0)"),
        new ModelIndexEntry("bad_runtime", "1", ModelIndexEntry.UNAVAILABLE,
            "model 'bad_runtime' version 1 failed to open: model.onnx: cannot open (expected: a loadable ONNX file)"),
        new ModelIndexEntry("good", "1", ModelIndexEntry.READY, ""));
    assertThat(manager.index(true)).containsExactly(new ModelIndexEntry("good", "1", ModelIndexEntry.READY, ""));
  }

  @Test
  void loadOnlyStartsTheNamedModelsAndListsTheOthersByNameOnly() {
    TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4), 1);
    TestModels.writeModel(repository, "beta", TestModels.identityConfig("beta", 4), 1);

    manager = start(RepositoryOptions.loadOnly("beta"));

    assertThat(manager.index(false)).containsExactly(
        ModelIndexEntry.nameOnly("alpha"),
        new ModelIndexEntry("beta", "1", ModelIndexEntry.READY, ""));
    assertThatThrownBy(() -> manager.resolve("alpha", "")).hasMessage("model 'alpha' is not found");

    manager.load("alpha");
    assertThat(manager.readyVersions("alpha")).containsExactly("1");
  }

  @Test
  void modelIsListedAsLoadingWhileItsVersionsOpen() {
    TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4), 1);
    manager = start(RepositoryOptions.loadNone());
    List<List<ModelIndexEntry>> seen = new java.util.ArrayList<>();
    runners.onOpen = () -> seen.add(manager.index(false));

    manager.load("alpha");

    assertThat(seen).containsExactly(List.of(new ModelIndexEntry("alpha", "1", ModelIndexEntry.LOADING, "")));
    assertThat(manager.index(false)).containsExactly(new ModelIndexEntry("alpha", "1", ModelIndexEntry.READY, ""));
  }

  @Test
  void failedVersionShowsItsReasonAndTheVersionsThatOpenedAreUnloadedAgain() {
    TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4)
        + "version_policy { all { } }\n", 1, 2, 3);
    runners.failingModel = "alpha/2";
    manager = start(RepositoryOptions.loadNone());

    assertThatThrownBy(() -> manager.load("alpha"))
        .hasMessage("model 'alpha' version 2 failed to open: model.onnx: cannot open (expected: a loadable ONNX file)");

    assertThat(runners.opened).containsExactly("alpha/1", "alpha/3");
    assertThat(runners.closed).containsExactly("alpha/1", "alpha/3");
    assertThat(manager.index(false)).containsExactly(
        new ModelIndexEntry("alpha", "1", ModelIndexEntry.UNAVAILABLE, "unloaded"),
        new ModelIndexEntry("alpha", "2", ModelIndexEntry.UNAVAILABLE,
            "model 'alpha' version 2 failed to open: model.onnx: cannot open (expected: a loadable ONNX file)"),
        new ModelIndexEntry("alpha", "3", ModelIndexEntry.UNAVAILABLE, "unloaded"));
    assertThat(manager.index(true)).isEmpty();
  }

  @Test
  void failedNewVersionIsListedBesideTheVersionThatKeepsServing() throws Exception {
    String config = TestModels.identityConfig("alpha", 4) + "version_policy { latest { num_versions: 2 } }\n";
    TestModels.writeModel(repository, "alpha", config, 1);
    manager = start(RepositoryOptions.loadAllModels());
    TestModels.writeModel(repository, "alpha", config, 2);
    runners.failingModel = "alpha/2";

    assertThatThrownBy(() -> manager.load("alpha")).hasMessageStartingWith("model 'alpha' version 2 failed to open");

    assertThat(manager.isReady("alpha", "1")).isTrue();
    assertThat(manager.index(false)).extracting(ModelIndexEntry::version, ModelIndexEntry::state).containsExactly(
        org.assertj.core.groups.Tuple.tuple("1", ModelIndexEntry.READY),
        org.assertj.core.groups.Tuple.tuple("2", ModelIndexEntry.UNAVAILABLE));
    assertThat(manager.index(true)).containsExactly(new ModelIndexEntry("alpha", "1", ModelIndexEntry.READY, ""));

    runners.failingModel = "";
    manager.load("alpha");
    assertThat(manager.index(false)).containsExactly(
        new ModelIndexEntry("alpha", "1", ModelIndexEntry.READY, ""),
        new ModelIndexEntry("alpha", "2", ModelIndexEntry.READY, ""));
  }

  @Test
  void versionsNoLongerSelectedStayListedAsUnloaded() throws Exception {
    Path alpha = TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4)
        + "version_policy { all { } }\n", 1, 2);
    manager = start(RepositoryOptions.loadAllModels());

    Files.writeString(alpha.resolve("config.pbtxt"), TestModels.identityConfig("alpha", 4));
    manager.load("alpha");

    assertThat(manager.index(false)).containsExactly(
        new ModelIndexEntry("alpha", "1", ModelIndexEntry.UNAVAILABLE, "unloaded"),
        new ModelIndexEntry("alpha", "2", ModelIndexEntry.READY, ""));
    assertThat(manager.index(true)).containsExactly(new ModelIndexEntry("alpha", "2", ModelIndexEntry.READY, ""));
  }

  // As Triton's ConfigChangeRequiresReload, a version_policy change keeps the versions still picked.
  @Test
  void versionPolicyChangeKeepsTheVersionsStillPicked() throws Exception {
    Path alpha = TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4)
        + "version_policy { all { } }\n", 1, 2);
    manager = start(RepositoryOptions.loadAllModels());
    ServedModel two = manager.resolve("alpha", "2");

    Files.writeString(alpha.resolve("config.pbtxt"), TestModels.identityConfig("alpha", 4));
    manager.load("alpha");

    assertThat(manager.resolve("alpha", "2")).isSameAs(two);
    assertThat(two.spec().config().getVersionPolicy().hasLatest()).isTrue();
    assertThat(runners.opened).containsExactly("alpha/1", "alpha/2");
    assertThat(schedulers.created).containsExactly("alpha/1", "alpha/2");
  }

  // As Triton's UpdateInstanceGroup: a new instance count keeps the version's runner and stats and
  // swaps its scheduler; the replaced scheduler drains and closes on its own.
  @Test
  void instanceGroupChangeUpdatesTheServingVersionInPlace() throws Exception {
    Path alpha = TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4)
        + "instance_group [ { count: 1 kind: KIND_CPU } ]\n", 1);
    manager = start(RepositoryOptions.loadAllModels());
    ServedModel one = manager.resolve("alpha", "1");

    Files.writeString(alpha.resolve("config.pbtxt"), TestModels.identityConfig("alpha", 4)
        + "instance_group [ { count: 3 kind: KIND_CPU } ]\n");
    manager.load("alpha");

    assertThat(manager.resolve("alpha", "1")).isSameAs(one);
    assertThat(one.spec().config().getInstanceGroup(0).getCount()).isEqualTo(3);
    assertThat(runners.opened).containsExactly("alpha/1");
    assertThat(schedulers.created).containsExactly("alpha/1", "alpha/1");
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (schedulers.closed.isEmpty() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(schedulers.closed).containsExactly("alpha/1");
    assertThat(runners.closed).isEmpty();
  }

  // Triton's ConfigChangeRequiresReload: any other change with it reloads the version.
  @Test
  void instanceGroupChangeWithAnotherChangeReopensTheVersion() throws Exception {
    Path alpha = TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4)
        + "instance_group [ { count: 1 kind: KIND_CPU } ]\n", 1);
    manager = start(RepositoryOptions.loadAllModels());
    ServedModel one = manager.resolve("alpha", "1");

    Files.writeString(alpha.resolve("config.pbtxt"), TestModels.identityConfig("alpha", 8)
        + "instance_group [ { count: 3 kind: KIND_CPU } ]\n");
    manager.load("alpha");

    assertThat(manager.resolve("alpha", "1")).isNotSameAs(one);
    assertThat(runners.opened).containsExactly("alpha/1", "alpha/1");
    assertThat(runners.closed).containsExactly("alpha/1");
  }

  @Test
  void reloadOpensNewVersionsBeforeClosingOldOnes() throws Exception {
    TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4), 1);
    manager = start(RepositoryOptions.loadAllModels());
    ServedModel old = manager.resolve("alpha", "");

    TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4), 2);
    manager.load("alpha");

    assertThat(runners.opened).containsExactly("alpha/1", "alpha/2");
    assertThat(schedulers.closed).containsExactly("alpha/1");
    assertThat(runners.closed).containsExactly("alpha/1");
    assertThat(manager.readyVersions("alpha")).containsExactly("2");
    assertThat(manager.resolve("alpha", "")).isNotSameAs(old);
  }

  @Test
  void reloadKeepsUnchangedVersionsAndReopensChangedOnes() throws Exception {
    Path alpha = TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4)
        + "version_policy { latest { num_versions: 2 } }\n", 1);
    manager = start(RepositoryOptions.loadAllModels());
    ServedModel first = manager.resolve("alpha", "1");

    manager.load("alpha");
    assertThat(manager.resolve("alpha", "1")).isSameAs(first);

    TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4)
        + "version_policy { latest { num_versions: 2 } }\n", 2);
    manager.load("alpha");
    assertThat(manager.resolve("alpha", "1")).isSameAs(first);
    assertThat(runners.opened).containsExactly("alpha/1", "alpha/2");

    Path file = alpha.resolve("2").resolve("model.onnx");
    Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(
        Files.getLastModifiedTime(file).toMillis() + 5_000));
    manager.load("alpha");
    assertThat(manager.resolve("alpha", "1")).isSameAs(first);
    assertThat(runners.opened).containsExactly("alpha/1", "alpha/2", "alpha/2");
    assertThat(runners.closed).containsExactly("alpha/2");

    // a file beside the model (ONNX external data, say) changes: that version reopens too
    Files.writeString(alpha.resolve("2").resolve("weights.bin"), "new weights");
    manager.load("alpha");
    assertThat(manager.resolve("alpha", "1")).isSameAs(first);
    assertThat(runners.opened).containsExactly("alpha/1", "alpha/2", "alpha/2", "alpha/2");
    manager.load("alpha");
    assertThat(runners.opened).as("nothing changed since").hasSize(4);

    Files.writeString(alpha.resolve("config.pbtxt"), TestModels.identityConfig("alpha", 8)
        + "version_policy { latest { num_versions: 2 } }\n");
    manager.load("alpha");
    assertThat(manager.resolve("alpha", "1")).isNotSameAs(first);
    assertThat(manager.resolve("alpha", "1").spec().maxBatchSize()).isEqualTo(8);
  }

  @Test
  void requestToAVersionSwappedOutAfterResolveFailsAsUnavailable() throws Exception {
    TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4), 1);
    manager = start(RepositoryOptions.loadAllModels());
    ServedModel resolved = manager.resolve("alpha", "");

    manager.unload("alpha");

    assertThat(resolved.infer(InferRequest.of("alpha", "", List.of(
        Tensor.ofFloats("input", new long[] {1, 4}, new float[4])))))
        .failsWithin(java.time.Duration.ZERO)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOf(InferenceException.class)
        .withMessage("model 'alpha' version '1' is not ready: unloaded");
    assertThat(resolved.stats().fail().count()).isEqualTo(1);
  }

  @Test
  void requestsKeepBeingServedWhileTheModelReloads() throws Exception {
    Path alpha = TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4), 1);
    manager = start(RepositoryOptions.loadAllModels());
    java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger swappedOut = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<Throwable> unexpected = new java.util.concurrent.atomic.AtomicReference<>();
    Thread client = new Thread(() -> {
      InferRequest request = InferRequest.of("alpha", "", List.of(
          Tensor.ofFloats("input", new long[] {1, 4}, new float[4])));
      while (!done.get()) {
        try {
          manager.resolve("alpha", "").infer(request).join();
          served.incrementAndGet();
        } catch (java.util.concurrent.CompletionException e) {
          if (e.getCause().getMessage().endsWith("is not ready: unloaded")) {
            swappedOut.incrementAndGet();
          } else {
            unexpected.compareAndSet(null, e.getCause());
          }
        } catch (RuntimeException e) {
          unexpected.compareAndSet(null, e);
        }
      }
    });
    client.start();
    for (int i = 0; i < 40; i++) {
      Files.writeString(alpha.resolve("config.pbtxt"), TestModels.identityConfig("alpha", 4 + i % 2));
      manager.load("alpha");
    }
    done.set(true);
    client.join(10_000);

    assertThat(unexpected.get()).isNull();
    assertThat(served.get()).isPositive();
    assertThat(manager.resolve("alpha", "").inFlightRequests()).isZero();
  }

  @Test
  void failedReloadKeepsTheServingVersions() throws Exception {
    Path alpha = TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4), 1);
    manager = start(RepositoryOptions.loadAllModels());
    Files.writeString(alpha.resolve("config.pbtxt"), "max_batch_size: {");

    assertThatThrownBy(() -> manager.load("alpha")).hasMessageStartingWith("model 'alpha' config.pbtxt:1:");

    assertThat(manager.readyVersions("alpha")).containsExactly("1");
    assertThat(runners.closed).isEmpty();
  }

  @Test
  void unloadClosesSchedulersThenRunnersAndReportsUnloaded() {
    TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4), 1);
    manager = start(RepositoryOptions.loadAllModels());

    manager.unload("alpha");

    assertThat(schedulers.closed).containsExactly("alpha/1");
    assertThat(runners.closed).containsExactly("alpha/1");
    assertThatThrownBy(() -> manager.resolve("alpha", ""))
        .hasMessage("model 'alpha' has no available versions: unloaded")
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.NOT_FOUND);
    assertThat(manager.index(false)).containsExactly(
        new ModelIndexEntry("alpha", "1", ModelIndexEntry.UNAVAILABLE, "unloaded"));
    assertThat(manager.index(true)).isEmpty();
    assertThatThrownBy(() -> manager.unload("never"))
        .hasMessageStartingWith("model 'never' is not found in repository")
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.NOT_FOUND);

    manager.load("alpha");
    assertThat(manager.isReady("alpha", "1")).isTrue();
  }

  @Test
  void closeUnloadsEverythingAndRefusesLoads() {
    TestModels.writeModel(repository, "alpha", TestModels.identityConfig("alpha", 4), 1);
    manager = start(RepositoryOptions.loadAllModels());

    manager.close();

    assertThat(runners.closed).containsExactly("alpha/1");
    assertThat(manager.readyModels()).isEmpty();
    assertThatThrownBy(() -> manager.load("alpha"))
        .hasFieldOrPropertyWithValue("status", InferenceException.Status.UNAVAILABLE);
  }

  @Test
  void repositoryMustBeADirectory() {
    assertThatThrownBy(() -> new RepositoryModelManager(repository.resolve("missing"), runners, schedulers,
        RepositoryOptions.loadAllModels()))
        .hasMessage("model repository: " + repository.resolve("missing") + " (expected: a directory)");
  }

  private RepositoryModelManager start(RepositoryOptions options) {
    return new RepositoryModelManager(repository, runners, schedulers, options);
  }
}
