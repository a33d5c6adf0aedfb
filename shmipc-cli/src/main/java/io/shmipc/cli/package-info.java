/** The shmipc command line: list, inspect, watch, call and clean regions through the engine's public API. */
@NullMarked
package io.shmipc.cli;

import org.jspecify.annotations.NullMarked;
