/** Actuator support of shmipc: endpoints and their auto-configuration. */
package io.shmipc.spring.autoconfigure.actuate;
