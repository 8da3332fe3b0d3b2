/** Turns profile files into the routing policy's precomputed {@code ServiceCurve}s. */
@NullMarked
package dev.yardmaster.router.profile;

import org.jspecify.annotations.NullMarked;
