/** The benchmark runner's entry point: runs every transport through the same scenarios and writes the report. */
@NullMarked
package io.shmipc.bench;

import org.jspecify.annotations.NullMarked;
