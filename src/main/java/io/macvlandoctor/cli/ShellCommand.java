package io.macvlandoctor.cli;

import io.macvlandoctor.shell.Repl;
import io.macvlandoctor.shell.Session;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.system.TargetResolver;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `shell`: a REPL bound to one target, for probing and capturing by hand. */
@Command(name = "shell", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"An interactive shell on one target: probe icmp|arp --from host|container, capture start|stop "
            + "(frames print live), show frames|path|facts, export FILE, explain ID, and every command above. TAB "
            + "completes; Ctrl-C stops a probe or capture; Ctrl-D or exit leaves, undoing the shell's setups unless "
            + "setup --keep. Without a terminal it reads one command per line and exits with the worst exit code.", ""})
public final class ShellCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Override
    public Integer call() throws IOException {
        TargetResolver.validate(target.spec());
        Privileges.requireNetworkAdmin("shell");
        Session session = Session.open(target.spec(), target.args(), new ProcessRunner());
        Repl repl = new Repl(session);
        return System.console() != null ? repl.interactive() : repl.piped(System.in, spec.commandLine().getOut());
    }
}
