/** Engine internals: the region file, its mapping, its paths, the server lock and process identities. */
// @NullMarked returns once the reliability and scaling code here is annotated (NullAway found about 35 gaps).

package io.shmipc.core.internal.region;
