/** Spring Boot auto-configuration of the gRPC transport over shmipc. */
@NullMarked
package io.shmipc.grpc.autoconfigure;

import org.jspecify.annotations.NullMarked;
