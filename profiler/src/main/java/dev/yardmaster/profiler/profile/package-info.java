/**
 * The profile file: one versioned JSON document per model with the measured grid and the derived
 * facts the router and operators use (schema in {@code profiler/PROFILES.md}).
 */
@NullMarked
package dev.yardmaster.profiler.profile;

import org.jspecify.annotations.NullMarked;
