package io.macvlandoctor;

/** The machine is not as needed: privilege, libpcap, iproute2, a namespace or interface that is not there (exit 3). */
public class EnvironmentException extends ToolException {
    private static final long serialVersionUID = 1L;

    public EnvironmentException(String message) {
        super(ExitCodes.ENVIRONMENT, message);
    }

    public EnvironmentException(String message, Throwable cause) {
        super(ExitCodes.ENVIRONMENT, message, cause);
    }
}
