package dev.yardmaster.router.admission;

import dev.yardmaster.backend.InferenceException;
import dev.yardmaster.router.policy.Tier;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads a call's SLA tier and deadline from its metadata. Pure: the caller passes the time the
 * call was received; unknown tiers and malformed deadlines are INVALID_ARGUMENT naming the header.
 *
 * <ul>
 *   <li>{@code x-sla-tier}: a tier name, case-insensitive, surrounding spaces ignored; absent
 *       means the configured default tier. Present but empty is an error, not the default.
 *   <li>{@code grpc-timeout}: the gRPC deadline, as gRPC sends it ({@code 100m}, {@code 2S}).
 *   <li>{@code x-deadline-ms}: a positive integer of milliseconds each request has from its
 *       arrival; with a gRPC deadline too, the earlier one wins.
 * </ul>
 */
public final class Admission {

  public static final String TIER_HEADER = "x-sla-tier";
  public static final String DEADLINE_HEADER = "x-deadline-ms";
  public static final String GRPC_TIMEOUT_HEADER = "grpc-timeout";

  private static final long NANOS_PER_MILLI = 1_000_000;
  private static final long MAX_DEADLINE_MS = GrpcTimeout.MAX_NANOS / NANOS_PER_MILLI;

  private final AdmissionConfig config;
  private final List<Tier> tiers;
  /** Admitted facts without deadlines, one per tier: the common case allocates nothing. */
  private final AdmittedRequest[] withoutDeadline;

  private Admission(AdmissionConfig config) {
    this.config = config;
    this.tiers = config.tiers();
    this.withoutDeadline = new AdmittedRequest[tiers.size()];
    for (Tier tier : tiers) {
      withoutDeadline[tier.index()] = AdmittedRequest.of(tier);
    }
  }

  public static Admission create(AdmissionConfig config) {
    return new Admission(config);
  }

  /** Gold, silver, bronze at their default budgets; bronze by default. */
  public static Admission defaults() {
    return create(AdmissionConfig.defaults());
  }

  public AdmissionConfig config() {
    return config;
  }

  /**
   * The facts of a call received at {@code receivedNanos} (on the clock of
   * {@link dev.yardmaster.backend.InferRequest#arrivalNanos()}).
   *
   * @throws InferenceException INVALID_ARGUMENT for an unknown tier or a malformed deadline
   */
  public AdmittedRequest admit(HeaderView headers, long receivedNanos) {
    Tier tier = tier(headers.get(TIER_HEADER));
    String grpcTimeout = headers.get(GRPC_TIMEOUT_HEADER);
    String deadlineMs = headers.get(DEADLINE_HEADER);
    if (grpcTimeout == null && deadlineMs == null) {
      return withoutDeadline[tier.index()];
    }
    long callDeadline = grpcTimeout == null
        ? AdmittedRequest.NO_DEADLINE : receivedNanos + GrpcTimeout.parseNanos(grpcTimeout);
    long budget = deadlineMs == null ? AdmittedRequest.NO_BUDGET : parseDeadlineMs(deadlineMs) * NANOS_PER_MILLI;
    return new AdmittedRequest(tier, callDeadline, budget);
  }

  /**
   * The tier named by an {@code x-sla-tier} value; null means the default tier.
   *
   * @throws InferenceException INVALID_ARGUMENT naming the allowed tiers
   */
  public Tier tier(@Nullable String headerValue) {
    if (headerValue == null) {
      return config.defaultTier();
    }
    int start = 0;
    int end = headerValue.length();
    while (start < end && Character.isWhitespace(headerValue.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(headerValue.charAt(end - 1))) {
      end--;
    }
    int length = end - start;
    for (Tier tier : tiers) {
      String name = tier.name();
      if (name.length() == length && headerValue.regionMatches(true, start, name, 0, length)) {
        return tier;
      }
    }
    throw InferenceException.invalidArgument("%s: \"%s\" (expected: one of %s)",
        TIER_HEADER, headerValue, config.tierNames());
  }

  private static long parseDeadlineMs(String value) {
    String trimmed = value.strip();
    long millis = 0;
    boolean valid = !trimmed.isEmpty() && trimmed.length() <= 18;
    for (int i = 0; valid && i < trimmed.length(); i++) {
      char c = trimmed.charAt(i);
      valid = c >= '0' && c <= '9';
      millis = millis * 10 + (c - '0');
    }
    if (!valid || millis <= 0 || millis > MAX_DEADLINE_MS) {
      throw InferenceException.invalidArgument(
          "%s: \"%s\" (expected: a positive integer of milliseconds, at most %d)",
          DEADLINE_HEADER, value, MAX_DEADLINE_MS);
    }
    return millis;
  }
}
