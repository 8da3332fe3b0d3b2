/**
 * The emulated accelerator backend: real outputs from a wrapped runner (ONNX Runtime on CPU),
 * completions paced by an {@link dev.yardmaster.backend.emulated.AcceleratorProfile}, and labelled
 * {@code emulated} everywhere they show.
 */
@NullMarked
package dev.yardmaster.backend.emulated;

import org.jspecify.annotations.NullMarked;
