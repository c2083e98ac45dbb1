package io.macvlandoctor;

/** Bad input from the user: an invalid name, address, file or option combination (exit 2). */
public class UsageException extends ToolException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(ExitCodes.USAGE, message);
    }
}
