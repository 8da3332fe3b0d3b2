/**
 * The Triton-layout model repository: reads and checks {@code config.pbtxt} (parse, auto-complete
 * from the ONNX file, normalize, validate), picks versions by version policy, validates requests
 * against a model's spec and keeps the loaded models in an atomically swapped snapshot.
 */
@NullMarked
package dev.yardmaster.backend.repository;

import org.jspecify.annotations.NullMarked;
