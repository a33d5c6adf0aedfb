/** Engine internals: the client connection, dispatcher, housekeeping and slot exchange; no API, may change in any release. */
@NullMarked
package io.shmipc.core.internal;

import org.jspecify.annotations.NullMarked;
