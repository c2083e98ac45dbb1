package io.macvlandoctor.capture;

import io.macvlandoctor.UsageException;

/** A capture file that is not what it claims to be: named, with the byte offset where reading stopped. */
public final class CaptureFormatException extends UsageException {
    private static final long serialVersionUID = 1L;

    public CaptureFormatException(String file, long offset, String what) {
        super(file + ": " + what + " at byte offset " + offset);
    }
}
