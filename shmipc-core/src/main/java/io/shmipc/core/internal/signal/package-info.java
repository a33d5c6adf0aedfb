/** Engine internals: futex wait and wake on words of the mapped region, with a polling fallback. */
@NullMarked
package io.shmipc.core.internal.signal;

import org.jspecify.annotations.NullMarked;
