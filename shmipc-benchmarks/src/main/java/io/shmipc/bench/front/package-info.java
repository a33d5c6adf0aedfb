/** The front scenario: a Spring MVC front on virtual or platform threads calling a sleeping agent through shmipc. */
@NullMarked
package io.shmipc.bench.front;

import org.jspecify.annotations.NullMarked;
