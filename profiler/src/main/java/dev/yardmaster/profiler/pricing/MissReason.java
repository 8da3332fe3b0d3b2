package dev.yardmaster.profiler.pricing;

/** Why a price source had no price; reports print the {@link #label()}. */
public enum MissReason {
  /** Nothing configured for this pool (overrides only); not worth reporting. */
  NOT_CONFIGURED("not configured"),
  /** No AWS credentials could be loaded. */
  NO_CREDENTIALS("no credentials"),
  /** Credentials were rejected (expired, wrong key, access denied). */
  BAD_CREDENTIALS("credentials rejected"),
  /** AWS kept throttling after the retry policy gave up. */
  THROTTLED("throttled"),
  /** The endpoint could not be reached or timed out. */
  UNREACHABLE("unreachable"),
  /** The source answered, but has no price for this instance type and region. */
  NOT_FOUND("not found"),
  /** The cache has a price, but it is older than the TTL. */
  STALE("stale"),
  /** A price document or file could not be read as expected. */
  MALFORMED_DOCUMENT("malformed document"),
  /** Anything else; the detail says what. */
  ERROR("error");

  private final String label;

  MissReason(String label) {
    this.label = label;
  }

  /**
   * What would have avoided the miss, for the reasons an operator can fix; empty otherwise.
   */
  public String expected() {
    return switch (this) {
      case NO_CREDENTIALS -> "AWS credentials: --aws-profile NAME, AWS_PROFILE, AWS_ACCESS_KEY_ID/"
          + "AWS_SECRET_ACCESS_KEY or an instance role";
      case BAD_CREDENTIALS -> "credentials AWS accepts, allowed pricing:GetProducts";
      case UNREACHABLE -> "network access to the Price List endpoint";
      default -> "";
    };
  }

  /** Lower-case words used in reports. */
  public String label() {
    return label;
  }
}
