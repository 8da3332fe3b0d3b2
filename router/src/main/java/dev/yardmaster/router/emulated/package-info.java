/**
 * Where emulated accelerator profiles come from on the router side: built-in names, a small
 * JSON/YAML profile file, or an entry of a measured yardmaster profile.
 */
@NullMarked
package dev.yardmaster.router.emulated;

import org.jspecify.annotations.NullMarked;
