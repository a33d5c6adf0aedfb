/** The ShmTemplate transport: shmipc measured as a Spring Boot application uses it. */
package io.shmipc.bench.spring;
