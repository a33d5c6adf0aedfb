/** JMH micro-benchmarks of the engine's round trip and of the Spring dispatch, in one process. */
@NullMarked
package io.shmipc.bench.jmh;

import org.jspecify.annotations.NullMarked;
