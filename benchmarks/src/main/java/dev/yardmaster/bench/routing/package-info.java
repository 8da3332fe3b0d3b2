/** JMH benchmarks of the routing policy ({@code dev.yardmaster.router.policy}). */
package dev.yardmaster.bench.routing;
