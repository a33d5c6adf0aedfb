/** A shmipc server without a web server: the quick start of the README, runnable. */
package io.shmipc.sample.plain;
