package io.macvlandoctor.probe;

import io.macvlandoctor.model.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Frames from all capture threads, and a way to wait for one in particular. */
public final class FrameCollector {
    private final List<Frame> frames = new ArrayList<>();

    public synchronized void add(Frame f) {
        frames.add(f);
        notifyAll();
    }

    public synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    /** Waits until a frame matching p has arrived or deadline (System.nanoTime) passed; returns it or null. */
    public synchronized Frame await(Predicate<Frame> p, long deadline) throws InterruptedException {
        int checked = 0;
        while (true) {
            for (; checked < frames.size(); checked++) {
                if (p.test(frames.get(checked))) {
                    return frames.get(checked);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            wait(Math.max(1, left / 1_000_000), 0);
        }
    }
}
