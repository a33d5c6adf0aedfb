/** The Spring API of shmipc: ShmTemplate and ShmOperations for calling, @ShmHandler methods for serving, codecs and observations. */
@NullMarked
package io.shmipc.spring;

import org.jspecify.annotations.NullMarked;
