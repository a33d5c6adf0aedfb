/** The transports the benchmarks compare: the shmipc engine, sockets, gRPC, HTTP, Agrona and a bare spin baseline. */
@NullMarked
package io.shmipc.bench.transport;

import org.jspecify.annotations.NullMarked;
