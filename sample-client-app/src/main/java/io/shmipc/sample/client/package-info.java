/** The sample client application: calls the monitoring agent through ShmTemplate in batch or continuous runs. */
package io.shmipc.sample.client;
