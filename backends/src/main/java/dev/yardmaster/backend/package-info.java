/**
 * The backend SPI: inference requests and responses, model specifications, the error grammar,
 * and the interfaces a model runtime and a scheduler implement.
 */
@NullMarked
package dev.yardmaster.backend;

import org.jspecify.annotations.NullMarked;
