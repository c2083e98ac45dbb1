package io.macvlandoctor.json;

/** JSON that cannot be read: malformed, nested too deep, or not the shape expected. Says where. */
public final class JsonException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final int offset;

    public JsonException(int offset, String what) {
        super("invalid JSON" + (offset >= 0 ? " at offset " + offset : "") + ": " + what);
        this.offset = offset;
    }

    /** The character offset in the text, -1 when the problem is the shape rather than the syntax. */
    public int offset() {
        return offset;
    }
}
