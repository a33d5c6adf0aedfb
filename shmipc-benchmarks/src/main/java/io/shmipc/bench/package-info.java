/** The benchmark runner's entry point: runs every transport through the same scenarios and writes the report. */
package io.shmipc.bench;
