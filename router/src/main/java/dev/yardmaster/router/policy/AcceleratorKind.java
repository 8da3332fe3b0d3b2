package dev.yardmaster.router.policy;

/** The hardware a pool runs on; the fallback order is a list of these. */
public enum AcceleratorKind {
  GPU,
  INFERENTIA,
  CPU
}
