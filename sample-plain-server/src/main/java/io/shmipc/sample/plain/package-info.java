/** A shmipc server without a web server: the quick start of the README, runnable. */
@NullMarked
package io.shmipc.sample.plain;

import org.jspecify.annotations.NullMarked;
