/** gRPC over shmipc: a gRPC transport whose calls travel through a shared-memory region. */
package io.shmipc.grpc;
