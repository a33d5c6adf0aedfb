/** Engine internals: the region file, its mapping, its paths, the server lock and process identities. */
@NullMarked
package io.shmipc.core.internal.region;

import org.jspecify.annotations.NullMarked;
