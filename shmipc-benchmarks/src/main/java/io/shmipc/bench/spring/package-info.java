/** The ShmTemplate transport: shmipc measured as a Spring Boot application uses it. */
@NullMarked
package io.shmipc.bench.spring;

import org.jspecify.annotations.NullMarked;
