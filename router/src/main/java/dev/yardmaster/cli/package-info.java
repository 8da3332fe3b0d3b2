/** The {@code yardmaster} command line: one class per top-level command. */
@NullMarked
package dev.yardmaster.cli;

import org.jspecify.annotations.NullMarked;
