package io.macvlandoctor;

/** A failure with a message fit for one line on stderr and the exit code of the contract (docs/design.md). */
public class ToolException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public ToolException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public ToolException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
