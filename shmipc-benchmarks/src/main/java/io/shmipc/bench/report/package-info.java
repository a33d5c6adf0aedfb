/** The benchmark report: figures, goal checks, Markdown, JSON and the latency plot. */
package io.shmipc.bench.report;
