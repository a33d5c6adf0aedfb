/** Test support shared by every module: child JVMs with captured output and guaranteed clean-up, and test payloads. */
@NullMarked
package io.shmipc.testing;

import org.jspecify.annotations.NullMarked;
