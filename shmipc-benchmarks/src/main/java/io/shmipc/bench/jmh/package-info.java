/** JMH micro-benchmarks of the engine's round trip and of the Spring dispatch, in one process. */
package io.shmipc.bench.jmh;
