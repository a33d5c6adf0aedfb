/** The sample client application: calls the monitoring agent through ShmTemplate in batch or continuous runs. */
@NullMarked
package io.shmipc.sample.client;

import org.jspecify.annotations.NullMarked;
