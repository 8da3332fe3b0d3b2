package dev.yardmaster.router.server.http;

import dev.yardmaster.backend.InferRequest;
import dev.yardmaster.protocol.OutputClassification;

/**
 * A decoded HTTP inference request: what the model gets, and how its answer is to be written.
 *
 * @param classification the outputs to answer with their top classes instead of their elements
 */
record DecodedInfer(InferRequest request, OutputFormat outputFormat, OutputClassification classification) {}
