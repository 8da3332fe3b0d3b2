/** The Prometheus endpoint: Triton's {@code nv_inference_*} metrics plus the Micrometer registry. */
@NullMarked
package dev.yardmaster.router.server.metrics;

import org.jspecify.annotations.NullMarked;
