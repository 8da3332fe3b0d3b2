/**
 * The in-process ONNX Runtime backend: a {@code ModelRunner} over an ORT session, and the project's
 * own ONNX model writer with the seeded demo and test models it generates.
 */
@NullMarked
package dev.yardmaster.backend.onnx;

import org.jspecify.annotations.NullMarked;
