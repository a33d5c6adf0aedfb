/** The benchmark harness: scenarios, server and client JVMs, timed loops and the results they report. */
package io.shmipc.bench.harness;
