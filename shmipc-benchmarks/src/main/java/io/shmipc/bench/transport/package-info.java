/** The transports the benchmarks compare: the shmipc engine, sockets, gRPC, HTTP, Agrona and a bare spin baseline. */
package io.shmipc.bench.transport;
