package io.shmipc.core.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/** Logs one clear line when native access is not enabled, instead of leaving users with the JDK's generic warning. */
public final class NativeAccessCheck {

    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private NativeAccessCheck() {}

    public static void warnOnce() {
        if (!NativeAccessCheck.class.getModule().isNativeAccessEnabled() && WARNED.compareAndSet(false, true)) {
            System.getLogger(NativeAccessCheck.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "shmipc calls futex(2) through the FFM API: add --enable-native-access=ALL-UNNAMED to the java command"
                                    + " (or 'Enable-Native-Access: ALL-UNNAMED' to the executable jar's manifest) to allow it without JDK warnings");
        }
    }
}
