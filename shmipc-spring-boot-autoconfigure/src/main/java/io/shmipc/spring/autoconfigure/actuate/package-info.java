/** Actuator support of shmipc: endpoints and their auto-configuration. */
@NullMarked
package io.shmipc.spring.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
