/** Reports of profiles: terminal tables, comparisons and self-contained HTML with JFreeChart images. */
@NullMarked
package dev.yardmaster.profiler.report;

import org.jspecify.annotations.NullMarked;
