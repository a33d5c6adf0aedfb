/** Test support for applications that use shmipc with Spring Boot. */
@NullMarked
package io.shmipc.spring.test;

import org.jspecify.annotations.NullMarked;
