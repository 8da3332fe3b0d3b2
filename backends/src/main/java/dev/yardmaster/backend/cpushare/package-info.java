/**
 * Runners held to a share of one core: real outputs, computed at full speed, returned no earlier
 * than their CPU time divided by the share, so one host can stand in for a smaller machine (the
 * tour's CPU pool beside its emulated accelerators on a 2-core box).
 */
@NullMarked
package dev.yardmaster.backend.cpushare;

import org.jspecify.annotations.NullMarked;
