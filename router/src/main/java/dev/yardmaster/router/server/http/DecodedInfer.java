package dev.yardmaster.router.server.http;

import dev.yardmaster.backend.InferRequest;

/**
 * A decoded HTTP inference request: what the model gets, and how its answer is to be written.
 */
record DecodedInfer(InferRequest request, OutputFormat outputFormat) {}
