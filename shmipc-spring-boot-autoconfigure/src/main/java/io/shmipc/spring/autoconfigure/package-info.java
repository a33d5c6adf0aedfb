/** Spring Boot auto-configuration of shmipc: properties, role, health, metrics and failure analysis. */
@NullMarked
package io.shmipc.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
