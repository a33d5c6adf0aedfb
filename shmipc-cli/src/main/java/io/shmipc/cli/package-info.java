/** The shmipc command line: list, inspect, watch, call and clean regions through the engine's public API. */
package io.shmipc.cli;
