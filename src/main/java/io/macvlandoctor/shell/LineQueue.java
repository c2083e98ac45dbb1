package io.macvlandoctor.shell;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The lines of a pipe, read on a thread of their own: a read of stdin cannot be interrupted, a wait for the next
 * line can, so that a signal ends the piped shell (undoing its setups) even while it waits for input.
 */
final class LineQueue {
    private final BlockingQueue<Optional<String>> lines = new LinkedBlockingQueue<>();

    LineQueue(InputStream in) {
        Thread reader = new Thread(() -> {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            try {
                for (String l; (l = r.readLine()) != null; ) {
                    lines.add(Optional.of(l));
                }
            } catch (IOException e) {
                // A pipe that fails ends the input as its end does.
            }
            lines.add(Optional.empty());
        }, "shell-input");
        reader.setDaemon(true);
        reader.start();
    }

    /** The next line; null at the end of the input, or when the wait for it was interrupted. */
    String next() {
        try {
            return lines.take().orElse(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
