package io.macvlandoctor.system;

import io.macvlandoctor.Signals;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs work that waits on `ip` processes several at a time: the common pool has one thread on a 2-core machine.
 * Not for namespace work (setns needs a thread of its own: see Namespaces).
 */
public final class Parallel {
    private static final int THREADS = 8;

    private Parallel() {
    }

    /** Work run by {@link #all}: it may wait, and be interrupted. */
    @FunctionalInterface
    public interface Task<R> {
        R run() throws InterruptedException;
    }

    /**
     * Runs each task on a thread of its own and waits for all of them, in order of the list. When the caller is
     * interrupted (a signal) or a task fails, the other tasks are interrupted, and waited for, before this returns:
     * no task outlives the call, so nothing it uses (a socket, a capture handle) is closed under it.
     */
    public static <R> List<R> all(List<Task<R>> tasks, String name) throws InterruptedException {
        int n = tasks.size();
        List<R> results = new ArrayList<>(java.util.Collections.nCopies(n, null));
        Throwable[] failure = new Throwable[1];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int k = i;
            Thread t = new Thread(() -> {
                Tids.remember();
                try {
                    R r = tasks.get(k).run();
                    synchronized (results) {
                        results.set(k, r);
                    }
                } catch (InterruptedException e) {
                    // Interrupted by the caller (or the failure of another task): it knows why.
                } catch (Throwable e) {
                    synchronized (results) {
                        if (failure[0] == null) {
                            failure[0] = e;
                        }
                    }
                    threads.forEach(Thread::interrupt);
                }
            }, name + ":" + i);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    threads.forEach(Thread::interrupt);
                }
            }
        }
        if (interrupted) {
            throw new InterruptedException("interrupted");
        }
        if (failure[0] instanceof RuntimeException re) {
            throw re;
        }
        if (failure[0] instanceof Error er) {
            throw er;
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        return results;
    }

    public static <T, R> List<R> map(List<T> items, Function<T, R> fn) {
        if (items.size() <= 1) {
            return items.stream().map(fn).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, items.size()), r -> {
            Thread t = new Thread(r, "ip-reader");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> fn.apply(item)));
            }
            List<R> out = new ArrayList<>();
            for (Future<R> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
                }
            }
            return out;
        } catch (InterruptedException e) {
            throw Signals.interrupted(e);
        } finally {
            pool.shutdownNow();
        }
    }
}
