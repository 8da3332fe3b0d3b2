package dev.yardmaster.router.pool;

/** Whether an endpoint takes traffic. */
public enum EndpointState {
  /** Passes active health checks and is not ejected: takes traffic. */
  HEALTHY,
  /** Ejected by outlier detection until its ejection time passes. */
  EJECTED,
  /** Has not passed active health checks (yet, or any more). */
  UNHEALTHY
}
