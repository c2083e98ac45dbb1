package io.macvlandoctor;

/** The exit codes of the contract (docs/design.md); scripts and CI depend on them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int CHECK_FAILED = 1;
    public static final int USAGE = 2;
    public static final int ENVIRONMENT = 3;
    public static final int INTERNAL = 4;
    /** SIGHUP, or the terminal went away (the shell undoes its setups first). */
    public static final int HUNG_UP = 129;
    /** SIGINT (Ctrl-C), after the run's changes were undone. */
    public static final int INTERRUPTED = 130;
    /** SIGTERM, after the run's changes were undone. */
    public static final int TERMINATED = 143;
    /** stdout was closed by its reader (`| head`), as a program that SIGPIPE ended; the run's changes undone. */
    public static final int STDOUT_CLOSED = 141;

    private ExitCodes() {
    }
}
