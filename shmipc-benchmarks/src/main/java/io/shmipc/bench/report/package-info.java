/** The benchmark report: figures, goal checks, Markdown, JSON and the latency plot. */
@NullMarked
package io.shmipc.bench.report;

import org.jspecify.annotations.NullMarked;
