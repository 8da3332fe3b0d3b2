/**
 * A client to remote KServe v2 gRPC endpoints (Triton on GPU or Inferentia, any v2 server) that
 * forwards requests as they are, without decoding tensors.
 *
 * <p>Copies of tensor bytes on the router path, per direction (measured by reading the code
 * path, see {@link dev.yardmaster.backend.kserve.KServeEndpointClient}): one when the inbound
 * message is parsed (network buffer into the {@code raw_input_contents} ByteString) and one when it
 * is serialized for the endpoint (ByteString into the outgoing HTTP/2 frame buffer); zero decodes
 * into typed arrays. The response takes the same two copies on its way back, so a forwarded
 * request costs 2 copies of its input bytes and 2 of its output bytes, against 1 + 1 for a server
 * that answers itself.
 */
@NullMarked
package dev.yardmaster.backend.kserve;

import org.jspecify.annotations.NullMarked;
