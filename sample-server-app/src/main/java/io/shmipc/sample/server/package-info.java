/** The sample server application: a monitoring agent that stores metrics and answers queries through @ShmHandler methods. */
@NullMarked
package io.shmipc.sample.server;

import org.jspecify.annotations.NullMarked;
