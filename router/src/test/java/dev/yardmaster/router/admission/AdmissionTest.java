package dev.yardmaster.router.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.router.policy.Tier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AdmissionTest {

  static final long NOW = 1_000_000_000L;
  final Admission admission = Admission.defaults();

  static HeaderView headers(String... namesAndValues) {
    Map<String, String> map = new java.util.HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return HeaderView.of(map);
  }

  static InferRequest request(Map<String, Object> parameters, int priority, long timeoutMicros, long arrivalNanos) {
    return new InferRequest("m", "", "", List.of(), List.of(), parameters, priority, timeoutMicros, arrivalNanos);
  }

  @ParameterizedTest
  @CsvSource({"gold,gold", "GOLD,gold", "' Silver ',silver", "bRoNzE,bronze", "'\tgold\t',gold"})
  void tierNamesAreCaseInsensitiveAndTrimmed(String header, String tier) {
    assertThat(admission.admit(headers("x-sla-tier", header), NOW).tier().name()).isEqualTo(tier);
  }

  @ParameterizedTest
  @ValueSource(strings = {"platinum", "", "  ", "gold,silver", "gol"})
  void unknownOrEmptyTierNamesTheAllowedTiers(String header) {
    assertThatThrownBy(() -> admission.admit(headers("x-sla-tier", header), NOW))
        .isInstanceOfSatisfying(InferenceException.class,
            e -> assertThat(e.status()).isEqualTo(InferenceException.Status.INVALID_ARGUMENT))
        .hasMessage("x-sla-tier: \"" + header + "\" (expected: one of gold, silver, bronze)");
  }

  @Test
  void absentTierIsTheConfiguredDefault() {
    assertThat(admission.admit(HeaderView.empty(), NOW).tier()).isEqualTo(Tier.BRONZE);
    Admission goldByDefault = Admission.create(AdmissionConfig.defaults().withDefaultTier("gold"));
    assertThat(goldByDefault.admit(HeaderView.empty(), NOW).tier()).isEqualTo(Tier.GOLD);
  }

  @Test
  void noDeadlineAdmitsWithoutAllocating() {
    AdmittedRequest first = admission.admit(headers("x-sla-tier", "gold"), NOW);
    assertThat(first.hasDeadline()).isFalse();
    assertThat(admission.admit(headers("x-sla-tier", "gold"), NOW + 5)).isSameAs(first);
  }

  @Test
  void deadlineMsIsABudgetFromEachRequestsArrival() {
    AdmittedRequest admitted = admission.admit(headers("x-deadline-ms", " 250 "), NOW);
    assertThat(admitted.deadlineNanos(NOW)).isEqualTo(NOW + 250_000_000L);
    assertThat(admitted.deadlineNanos(NOW + 7)).isEqualTo(NOW + 7 + 250_000_000L);
  }

  @ParameterizedTest
  @CsvSource({"100m,100000000", "2S,2000000000", "1M,60000000000", "5u,5000", "7n,7", "1H,3600000000000"})
  void grpcTimeoutIsTheCallDeadline(String header, long nanos) {
    AdmittedRequest admitted = admission.admit(headers("grpc-timeout", header), NOW);
    assertThat(admitted.deadlineNanos(NOW + 1_000)).isEqualTo(NOW + nanos);
  }

  @Test
  void theEarlierOfGrpcDeadlineAndDeadlineMsWins() {
    AdmittedRequest admitted = admission.admit(headers("grpc-timeout", "100m", "x-deadline-ms", "30"), NOW);
    assertThat(admitted.deadlineNanos(NOW)).isEqualTo(NOW + 30_000_000L);
    assertThat(admitted.deadlineNanos(NOW + 90_000_000L)).isEqualTo(NOW + 100_000_000L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "-5", "1.5", "", " ", "12ms", "99999999999999999999"})
  void malformedDeadlineMsNamesTheHeader(String header) {
    assertThatThrownBy(() -> admission.admit(headers("x-deadline-ms", header), NOW))
        .isInstanceOfSatisfying(InferenceException.class,
            e -> assertThat(e.status()).isEqualTo(InferenceException.Status.INVALID_ARGUMENT))
        .hasMessageStartingWith("x-deadline-ms: \"" + header + "\" (expected: a positive integer of milliseconds");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "m", "10", "10x", "123456789m", "-1S"})
  void malformedGrpcTimeoutNamesTheHeader(String header) {
    assertThatThrownBy(() -> admission.admit(headers("grpc-timeout", header), NOW))
        .hasMessage("grpc-timeout: \"" + header + "\" (expected: 1 to 8 digits and a unit of H, M, S, m, u or n)");
  }

  @Test
  void hugeGrpcTimeoutSaturatesInsteadOfOverflowing() {
    AdmittedRequest admitted = admission.admit(headers("grpc-timeout", "99999999H"), NOW);
    assertThat(admitted.deadlineNanos(NOW)).isGreaterThan(NOW);
  }

  @Test
  void tierSetsThePriorityLevel() {
    for (Tier tier : Tier.DEFAULTS) {
      InferRequest applied = AdmittedRequest.of(tier).apply(request(Map.of(), 0, 0, NOW), NOW);
      assertThat(applied.priority()).isEqualTo(tier.priority());
      assertThat(applied.timeoutMicros()).isZero();
    }
  }

  @Test
  void explicitTritonPriorityParameterWinsOverTheTier() {
    InferRequest bronzeAskingForOne = request(Map.of("priority", 1L), 1, 0, NOW);
    assertThat(AdmittedRequest.of(Tier.BRONZE).apply(bronzeAskingForOne, NOW).priority()).isEqualTo(1);
    InferRequest goldAskingForThree = request(Map.of("priority", 3L), 3, 0, NOW);
    assertThat(AdmittedRequest.of(Tier.GOLD).apply(goldAskingForThree, NOW).priority()).isEqualTo(3);
  }

  @Test
  void deadlineBecomesTheQueueTimeoutUnlessTheClientsTimeoutIsShorter() {
    AdmittedRequest admitted = new AdmittedRequest(Tier.GOLD, AdmittedRequest.NO_DEADLINE, 40_000_000L);
    assertThat(admitted.apply(request(Map.of(), 0, 0, NOW), NOW + 10_000_000L).timeoutMicros()).isEqualTo(30_000);
    assertThat(admitted.apply(request(Map.of("timeout", 5_000L), 0, 5_000, NOW), NOW).timeoutMicros())
        .isEqualTo(5_000);
    assertThat(admitted.apply(request(Map.of("timeout", 90_000L), 0, 90_000, NOW), NOW).timeoutMicros())
        .isEqualTo(40_000);
  }

  @Test
  void expiredDeadlineIsDeadlineExceeded() {
    AdmittedRequest admitted = new AdmittedRequest(Tier.SILVER, NOW + 1_000_000L, AdmittedRequest.NO_BUDGET);
    assertThatThrownBy(() -> admitted.apply(request(Map.of(), 0, 0, NOW), NOW + 3_000_000L))
        .isInstanceOfSatisfying(InferenceException.class,
            e -> assertThat(e.status()).isEqualTo(InferenceException.Status.DEADLINE_EXCEEDED))
        .hasMessageStartingWith("deadline: passed 2.000 ms before model 'm' could be scheduled");
  }

  @Test
  void configRejectsDuplicateAndUnknownDefaultTiers() {
    assertThatThrownBy(() -> new AdmissionConfig(List.of(Tier.GOLD, new Tier("gold", 1, 10, 2)), Tier.GOLD))
        .hasMessage("tiers[1].name: \"gold\" (expected: unique tier names)");
    assertThatThrownBy(() -> AdmissionConfig.defaults().withDefaultTier("platinum"))
        .hasMessage("default_tier: \"platinum\" (expected: one of gold, silver, bronze)");
    assertThatThrownBy(() -> new AdmissionConfig(List.of(), Tier.GOLD))
        .hasMessage("tiers: [] (expected: at least one tier)");
  }
}
