/** gRPC over shmipc: a gRPC transport whose calls travel through a shared-memory region. */
@NullMarked
package io.shmipc.grpc;

import org.jspecify.annotations.NullMarked;
