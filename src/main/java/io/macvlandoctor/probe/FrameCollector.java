package io.macvlandoctor.probe;

import io.macvlandoctor.model.Frame;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Frames from all capture threads, and a way to wait for one in particular. A waiter is handed its frame by the
 * capture thread that adds it: with dozens of probes waiting at once (many containers), waking every waiter for
 * every frame would keep the cores busy with waiters looking at frames that are not theirs.
 */
public final class FrameCollector {
    /** A probe waiting for its frame; each is its own (a class, not a record: no equality of its parts). */
    private static final class Waiter {
        final Predicate<Frame> p;
        final CompletableFuture<Frame> answer;

        Waiter(Predicate<Frame> p, CompletableFuture<Frame> answer) {
            this.p = p;
            this.answer = answer;
        }
    }

    private final List<Frame> frames = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();

    public void add(Frame f) {
        List<Waiter> answered = new ArrayList<>();
        synchronized (this) {
            frames.add(f);
            for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
                Waiter w = it.next();
                if (w.p.test(f)) {
                    answered.add(w);
                    it.remove();
                }
            }
        }
        answered.forEach(w -> w.answer.complete(f));
    }

    public synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    /** Waits until a frame matching p has arrived or deadline (System.nanoTime) passed; returns it or null. */
    public Frame await(Predicate<Frame> p, long deadline) throws InterruptedException {
        Waiter w;
        synchronized (this) {
            for (Frame f : frames) {
                if (p.test(f)) {
                    return f;
                }
            }
            w = new Waiter(p, new CompletableFuture<>());
            waiters.add(w);
        }
        try {
            return w.answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return null;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            synchronized (this) {
                waiters.remove(w);
            }
        }
    }
}
