package io.shmipc.core.internal.signal;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * futex(2) through {@code syscall(2)}, called with the FFM API.
 *
 * <p>Pitfalls this class exists to get right:
 * <ul>
 *   <li>No {@code FUTEX_PRIVATE_FLAG}: the word is shared between processes, and private futexes are
 *       keyed by the process's address space, so a wake from another process would never arrive.</li>
 *   <li>{@code syscall} is variadic: it is declared with {@code firstVariadicArg(1)} and every
 *       argument is passed as a {@code long}, as the C default argument promotions would.</li>
 *   <li>The syscall number differs by architecture (202 on x86_64, 98 on aarch64).</li>
 *   <li>errno is captured with {@code captureCallState}; EAGAIN, EINTR, ETIMEDOUT and spurious
 *       returns are routine, so this class reports nothing and callers re-read the word.</li>
 * </ul>
 */
public final class LinuxFutex implements Futex {

    private static final long FUTEX_WAIT = 0;
    private static final long FUTEX_WAKE = 1;
    private static final int EAGAIN = 11;
    private static final int EINTR = 4;
    private static final int ETIMEDOUT = 110;

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private final long sysFutex;
    private final MethodHandle syscall;
    /** Per-thread timespec plus errno capture buffer; freed by the GC with the thread. */
    private final ThreadLocal<MemorySegment> scratch =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16 + CAPTURE_LAYOUT.byteSize(), 8));

    LinuxFutex(long sysFutex) {
        this.sysFutex = sysFutex;
        Linker linker = Linker.nativeLinker();
        MemorySegment function = linker.defaultLookup()
                .find("syscall")
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no syscall symbol"));
        this.syscall = linker.downcallHandle(
                function,
                FunctionDescriptor.of(
                        JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(1),
                Linker.Option.captureCallState("errno"));
    }

    /**
     * @param osArch the value of {@code os.arch}
     * @return SYS_futex for that architecture, or -1 where it is not known
     */
    public static long syscallNumber(String osArch) {
        return switch (osArch) {
            case "amd64", "x86_64" -> 202;
            case "aarch64", "arm64" -> 98;
            default -> -1;
        };
    }

    @Override
    public void await(MemorySegment segment, long offset, int expected, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return;
        }
        MemorySegment buffer = scratch.get();
        buffer.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
        buffer.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
        MemorySegment capture = buffer.asSlice(16, CAPTURE_LAYOUT.byteSize());
        long result = invoke(capture, segment.address() + offset, FUTEX_WAIT, expected, buffer.address());
        if (result == -1) {
            int errno = (int) ERRNO.get(capture, 0L);
            if (errno != EAGAIN && errno != EINTR && errno != ETIMEDOUT) {
                throw new IllegalStateException("futex wait failed with errno " + errno);
            }
        }
    }

    @Override
    public void wake(MemorySegment segment, long offset, int waiters) {
        MemorySegment capture = scratch.get().asSlice(16, CAPTURE_LAYOUT.byteSize());
        invoke(capture, segment.address() + offset, FUTEX_WAKE, waiters, 0L);
    }

    @Override
    public boolean blocksInKernel() {
        return true;
    }

    private long invoke(MemorySegment capture, long address, long op, long value, long timeout) {
        if ((address & 3) != 0) {
            throw new IllegalArgumentException(
                    "futex word must be 4-byte aligned, address 0x" + Long.toHexString(address));
        }
        try {
            // futex(uaddr, op, val, timeout, uaddr2, val3); the word is compared as a 32-bit int,
            // so the expected value is passed zero-extended to match the kernel's u32 comparison.
            return (long) syscall.invokeExact(capture, sysFutex, address, op, value & 0xFFFF_FFFFL, timeout, 0L, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException("futex syscall failed", e);
        }
    }
}
