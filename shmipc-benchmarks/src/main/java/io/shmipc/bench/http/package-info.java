/** An HTTP echo application, the Spring MVC peer the benchmarks compare shmipc with. */
@NullMarked
package io.shmipc.bench.http;

import org.jspecify.annotations.NullMarked;
