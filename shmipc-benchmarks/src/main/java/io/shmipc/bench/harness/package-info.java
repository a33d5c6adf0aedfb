/** The benchmark harness: scenarios, server and client JVMs, timed loops and the results they report. */
@NullMarked
package io.shmipc.bench.harness;

import org.jspecify.annotations.NullMarked;
