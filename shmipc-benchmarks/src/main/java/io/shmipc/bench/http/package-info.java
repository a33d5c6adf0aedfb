/** An HTTP echo application, the Spring MVC peer the benchmarks compare shmipc with. */
package io.shmipc.bench.http;
