/** Engine internals: the byte layout of the region header and of a slot, as descriptor constants. */
@NullMarked
package io.shmipc.core.internal.layout;

import org.jspecify.annotations.NullMarked;
