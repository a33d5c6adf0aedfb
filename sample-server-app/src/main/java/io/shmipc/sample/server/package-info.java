/** The sample server application: a monitoring agent that stores metrics and answers queries through @ShmHandler methods. */
package io.shmipc.sample.server;
