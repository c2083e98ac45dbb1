package io.macvlandoctor.cli;

import io.macvlandoctor.engine.Workbench;
import io.macvlandoctor.shell.Repl;
import io.macvlandoctor.shell.Session;
import io.macvlandoctor.shell.ShellCommands;
import io.macvlandoctor.system.Privileges;
import io.macvlandoctor.system.ProcessRunner;
import io.macvlandoctor.system.Terminal;
import io.macvlandoctor.target.TargetResolver;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** `shell`: a REPL bound to one target, for probing and capturing by hand. */
@Command(name = "shell", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"An interactive shell on one target: probe icmp|arp|icmp6|ndp --from host|container, capture "
            + "start|stop (frames print live), show frames|path|facts, export FILE, explain ID, and every command "
            + "above. TAB completes; Ctrl-C stops a probe or capture; Ctrl-D or exit leaves, undoing the shell's "
            + "setups unless setup --keep. Without a terminal it reads one command per line and exits with the "
            + "worst exit code.", ""})
public final class ShellCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions target;

    @Override
    public Integer call() throws IOException {
        TargetResolver.validate(target.spec());
        Privileges.requireNetworkAdmin("shell");
        Session session = Session.open(target.spec(), target.args(), new Workbench(target.spec(),
                new ProcessRunner()));
        InterfaceCandidates.use(session::interfaceNames);
        Repl repl = new Repl(session, ShellCommand::commandLine);
        return Terminal.stdin() && Terminal.stdout() ? repl.interactive()
                : repl.piped(System.in, spec.commandLine().getOut());
    }

    /** The shell's command line: its own commands, and every command of the CLI but the shell itself. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ShellCommands());
        for (Object c : new Object[] {new VerifyCommand(), new DiagnoseCommand(), new AnalyzeCommand(),
            new FactsCommand(), new SetupCommand(), new TeardownCommand(), new LabCommand(), new CompletionCommand()}) {
            cl.addSubcommand(c);
        }
        return CommandLines.configure(cl);
    }
}
