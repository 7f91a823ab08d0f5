package ponte.adapters.whatsapp.fuzz;

import java.lang.reflect.Method;

/**
 * The properties every fuzz target of network input checks (issue 17 item 3): the decoder either returns or throws
 * one of its own decode errors (anything else, an NPE, an index or a negative size out of range, an
 * OutOfMemoryError, is a defect), and it allocates no more than a bound in the size of the input, so a length field
 * that lies (say 2 GB in a 10-byte frame) cannot make it allocate before the bytes exist. Hangs are caught by the
 * fuzzer's per-input timeout.
 */
public final class NetworkInput {

    /** Bytes a decoder may allocate per input byte, on top of {@link #BASE_ALLOCATION}; generous, not a lie's 2 GB. */
    public static final long ALLOCATION_PER_BYTE = 512;
    /** Fixed allowance per input: parser objects, strings, protobuf builders, crypto state. */
    public static final long BASE_ALLOCATION = 8L << 20;

    // reached by reflection: the module this test is patched into reads neither java.management nor jdk.management
    private static final Object THREADS;
    private static final Method ALLOCATED_BYTES;

    static {
        try {
            THREADS = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            ALLOCATED_BYTES = Class.forName("com.sun.management.ThreadMXBean")
                    .getMethod("getThreadAllocatedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NetworkInput() {
    }

    /** A decoding step that may throw a checked decode error. */
    @FunctionalInterface
    public interface Decoding {
        void run() throws Exception;
    }

    /**
     * Runs {@code decoding} on {@code inputLength} bytes of network input: returns when it returns or throws one of
     * {@code expected} (or a subclass); any other throwable, or an allocation over budget, fails with an
     * {@link AssertionError} that carries it.
     */
    @SafeVarargs
    public static void decodes(long inputLength, Decoding decoding, Class<? extends Throwable>... expected) {
        decodes(inputLength, 0, decoding, expected);
    }

    /** As {@link #decodes(long, Decoding, Class[])}, with {@code extraAllowance} bytes more (e.g. a bounded inflate). */
    @SafeVarargs
    public static void decodes(long inputLength, long extraAllowance, Decoding decoding,
            Class<? extends Throwable>... expected) {
        long budget = BASE_ALLOCATION + extraAllowance + ALLOCATION_PER_BYTE * inputLength;
        long allocated = run(decoding, expected);
        if (allocated > budget) {
            // the first input of a target also loads and initialises classes (protobuf descriptors are megabytes):
            // what counts is what decoding the input again allocates
            allocated = run(decoding, expected);
        }
        if (allocated > budget) {
            throw new AssertionError("decoding " + inputLength + " bytes allocated " + allocated
                    + " bytes, over the budget of " + budget);
        }
    }

    private static long run(Decoding decoding, Class<? extends Throwable>[] expected) {
        long thread = Thread.currentThread().threadId();
        long before = allocatedBytes(thread);
        try {
            decoding.run();
        } catch (Throwable thrown) {
            if (!isExpected(thrown, expected)) {
                throw new AssertionError("not a decode error: " + thrown, thrown);
            }
        }
        return allocatedBytes(thread) - before;
    }

    private static long allocatedBytes(long thread) {
        try {
            return (long) ALLOCATED_BYTES.invoke(THREADS, thread);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the JDK does not count allocated bytes per thread", e);
        }
    }

    private static boolean isExpected(Throwable thrown, Class<? extends Throwable>[] expected) {
        for (Class<? extends Throwable> type : expected) {
            if (type.isInstance(thrown)) {
                return true;
            }
        }
        return false;
    }
}
