/** Engine internals: the client connection, dispatcher, housekeeping and slot exchange; no API, may change in any release. */
// @NullMarked returns once the reliability and scaling code here is annotated (NullAway found about 35 gaps).

package io.shmipc.core.internal;
