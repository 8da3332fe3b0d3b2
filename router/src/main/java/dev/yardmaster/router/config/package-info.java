/**
 * The router's YAML config ({@code server}, {@code pools}; other sections are left to their
 * owners): parsed and validated at load with errors that name the key and the fix, and reloaded
 * when the file changes.
 */
@NullMarked
package dev.yardmaster.router.config;

import org.jspecify.annotations.NullMarked;
