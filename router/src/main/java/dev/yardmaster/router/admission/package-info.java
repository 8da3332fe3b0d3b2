/**
 * Admission: turns a request's metadata ({@code x-sla-tier}, {@code grpc-timeout},
 * {@code x-deadline-ms}) into request facts (tier, deadline) and applies them to an
 * {@link dev.yardmaster.backend.InferRequest}, and checks bearer tokens when auth is on
 * ({@link dev.yardmaster.router.admission.AuthConfig}); no Armeria, gRPC, clock or metrics inside,
 * so the front ends only translate headers into a {@link dev.yardmaster.router.admission.HeaderView}.
 */
@NullMarked
package dev.yardmaster.router.admission;

import org.jspecify.annotations.NullMarked;
