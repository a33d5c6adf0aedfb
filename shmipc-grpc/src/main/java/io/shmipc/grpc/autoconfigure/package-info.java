/** Spring Boot auto-configuration of the gRPC transport over shmipc. */
package io.shmipc.grpc.autoconfigure;
