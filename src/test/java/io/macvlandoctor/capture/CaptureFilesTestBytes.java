package io.macvlandoctor.capture;

/** Little-endian writes into a capture's bytes, for tests that damage files on purpose. */
final class CaptureFilesTestBytes {
    private CaptureFilesTestBytes() {
    }

    static void putLe(byte[] a, int p, int v) {
        a[p] = (byte) v;
        a[p + 1] = (byte) (v >>> 8);
        a[p + 2] = (byte) (v >>> 16);
        a[p + 3] = (byte) (v >>> 24);
    }
}
