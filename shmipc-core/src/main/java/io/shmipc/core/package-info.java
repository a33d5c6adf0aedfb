/** The shmipc engine's public API: servers, clients, their configuration, region inspection and the exceptions they throw. */
// @NullMarked returns once the reliability and scaling code here is annotated (NullAway found about 35 gaps).

package io.shmipc.core;
