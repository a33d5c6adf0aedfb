/** Test support for applications that use shmipc with Spring Boot. */
package io.shmipc.spring.test;
