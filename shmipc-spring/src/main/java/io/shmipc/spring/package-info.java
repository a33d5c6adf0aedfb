/** The Spring API of shmipc: ShmTemplate and ShmOperations for calling, @ShmHandler methods for serving, codecs and observations. */
package io.shmipc.spring;
