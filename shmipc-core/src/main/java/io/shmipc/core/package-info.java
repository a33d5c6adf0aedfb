/** The shmipc engine's public API: servers, clients, their configuration, region inspection and the exceptions they throw. */
@NullMarked
package io.shmipc.core;

import org.jspecify.annotations.NullMarked;
