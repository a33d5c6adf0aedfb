/** Spring Boot auto-configuration of shmipc: properties, role, health, metrics and failure analysis. */
package io.shmipc.spring.autoconfigure;
