package dev.clerkkit.shell;

import dev.clerkkit.events.CallEnded;
import dev.clerkkit.events.CallOutcome;
import dev.clerkkit.events.ClerkEventListener;
import dev.clerkkit.events.RateBudgetWaited;
import dev.clerkkit.events.RetryScheduled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the kit's client did in this session, per operation: calls, failures, duration percentiles, retries and
 * rate-budget waits. An event listener the kit adds to its client; {@link ClerkShell#stats()} prints it. Keeps each
 * call's duration (a shell session makes few calls) and nothing else of a call: the operation name is the key, never an
 * id or a token.
 */
final class ShellStats implements ClerkEventListener {
    private static final class Operation {
        final List<Long> nanos = new ArrayList<>();
        int failed;
        int retries;
        int rateWaits;
        long rateWaitNanos;
    }

    /** A permit counts as a rate wait from 1 ms on (taking a free permit takes microseconds). */
    static final long WAIT_NANOS = 1_000_000;

    private final Map<String, Operation> operations = new TreeMap<>();

    private Operation of(String operation) {
        return operations.computeIfAbsent(operation, k -> new Operation());
    }

    @Override
    public synchronized void callEnded(CallEnded event) {
        Operation op = of(event.getOperation());
        op.nanos.add(event.getDuration().toNanos());
        if (event.getOutcome() != CallOutcome.SUCCESS) op.failed++;
    }

    @Override
    public synchronized void retryScheduled(RetryScheduled event) {
        of(event.getOperation()).retries++;
    }

    @Override
    public synchronized void rateBudgetWaited(RateBudgetWaited event) {
        long waited = event.getWaited().toNanos();
        if (waited < WAIT_NANOS) return;
        Operation op = of(event.getOperation());
        op.rateWaits++;
        op.rateWaitNanos += waited;
    }

    synchronized void clear() {
        operations.clear();
    }

    /** The table {@link ClerkShell#stats()} prints: a header row, then one row per operation, sorted by name. */
    synchronized List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"operation", "calls", "failed", "p50 ms", "p99 ms", "retries", "rate waits", "waited ms"});
        for (Map.Entry<String, Operation> e : operations.entrySet()) {
            Operation op = e.getValue();
            List<Long> sorted = new ArrayList<>(op.nanos);
            Collections.sort(sorted);
            rows.add(new String[] {
                e.getKey(), String.valueOf(sorted.size()), String.valueOf(op.failed),
                millis(percentile(sorted, 50)), millis(percentile(sorted, 99)),
                String.valueOf(op.retries), String.valueOf(op.rateWaits), millis(op.rateWaitNanos),
            });
        }
        return rows;
    }

    /** Nearest-rank percentile of ascending [sorted]; -1 when empty (an operation seen only through a retry or wait). */
    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) return -1;
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private static String millis(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }
}
