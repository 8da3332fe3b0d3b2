/** File helpers shared by every module: durable, atomic replacement of state and report files. */
@NullMarked
package dev.yardmaster.backend.io;

import org.jspecify.annotations.NullMarked;
