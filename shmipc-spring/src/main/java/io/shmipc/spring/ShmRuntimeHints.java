package io.shmipc.spring;

import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Runtime hints of shmipc's Spring layer for native images. Handler methods and their payload types are
 * covered by {@link ShmHandler}'s {@code @Reflective} processor; this registrar adds what Spring invokes
 * reflectively itself. The engine's one FFM downcall (the futex {@code syscall}) is not expressible as a
 * Spring hint: shmipc-core declares it in {@code META-INF/native-image/io.shmipc/shmipc-core/reachability-metadata.json}.
 */
class ShmRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        // Exception handler methods are found and invoked reflectively, like handler methods.
        hints.reflection().registerType(ShmHandlerAdvice.class, MemberCategory.INVOKE_DECLARED_METHODS);
        hints.reflection().registerType(ShmError.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
        // JacksonShmCodec gives its copy of the mapper thread-confined buffer recyclers through this field
        // (ThreadBufferRecyclers.install); without the hint a native image runs with Jackson's own pool.
        hints.reflection()
                .registerTypeIfPresent(
                        classLoader,
                        "tools.jackson.databind.cfg.MapperBuilder",
                        type -> type.withField("_streamFactory"));
    }
}
