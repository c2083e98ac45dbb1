package io.macvlandoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command model the run builds from the build's description is the one picocli makes of the annotations: the
 * same commands, the same help word for word, the same options with every attribute, the same values and the same
 * errors from the same command lines.
 */
class CommandModelTest {
    private static CommandLine annotated() {
        return CommandLines.configure(new CommandLine(new MacvlanDoctor()));
    }

    private static CommandLine built() {
        return CommandLines.root();
    }

    @Test
    void everyCommandHasTheSameHelpAndOptions() {
        Map<String, CommandLine> a = commands(annotated());
        Map<String, CommandLine> b = commands(built());
        assertThat(b.keySet()).containsExactlyElementsOf(a.keySet()).contains("macvlan-doctor verify",
                "macvlan-doctor lab down");
        for (String path : a.keySet()) {
            CommandLine x = a.get(path);
            CommandLine y = b.get(path);
            assertThat(y.getUsageMessage(CommandLine.Help.Ansi.OFF)).as(path)
                    .isEqualTo(x.getUsageMessage(CommandLine.Help.Ansi.OFF));
            assertThat(options(y)).as(path).isEqualTo(options(x));
            assertThat(y.getCommandSpec().argGroups().stream().map(g -> g.exclusive() + " " + g.multiplicity() + " "
                    + g.options().stream().map(OptionSpec::longestName).toList()).toList()).as(path)
                    .isEqualTo(x.getCommandSpec().argGroups().stream().map(g -> g.exclusive() + " " + g.multiplicity()
                            + " " + g.options().stream().map(OptionSpec::longestName).toList()).toList());
        }
    }

    @Test
    void theSameCommandLinesGiveTheSameValuesAndTheSameErrors() {
        List<String[]> lines = List.of(
                new String[] {"verify", "--host-netns", "h", "--container-netns", "c", "--probe-timeout", "2s",
                    "--lan-ip", "10.0.0.1", "--lan-ip", "10.0.0.2", "-q", "--color", "never", "--setup", "--keep"},
                new String[] {"verify", "--lab", "x", "--family", "6", "--report-json", "-", "--no-trace"},
                new String[] {"diagnose", "--container", "web", "--apply", "--probe-timeout", "1"},
                new String[] {"setup", "--lab", "x", "--persist"},
                new String[] {"setup", "--lab", "x", "--persist", "networkd", "--mode", "private"},
                new String[] {"facts", "--lab", "x", "--record", "2s", "-o", "f.json"},
                new String[] {"analyze", "--capture", "parent=a.pcap", "--capture", "b.pcap"},
                new String[] {"lab", "up", "--name", "n", "--containers", "3", "--fixed"},
                new String[] {"lab", "down", "--all"},
                new String[] {"lab", "down", "--all", "--name", "x"},
                new String[] {"verify", "--probe-timeout", "soon"},
                new String[] {"verify", "--color"},
                new String[] {"teardown", "--recover", "--nope"},
                new String[] {"analyze"});
        for (String[] line : lines) {
            assertThat(parsed(CommandModelTest::built, line)).as(String.join(" ", line))
                    .isEqualTo(parsed(CommandModelTest::annotated, line));
        }
    }

    /** picocli converts none of these types itself here (CommandLines.UNCONVERTED_TYPES): each option brings one. */
    @Test
    void everyOptionOfATypePicocliDoesNotConvertHereHasItsOwnConverter() {
        List<String> without = new ArrayList<>();
        int typed = 0;
        for (CommandLine cl : commands(built()).values()) {
            for (OptionSpec o : cl.getCommandSpec().options()) {
                List<Class<?>> types = new ArrayList<>(List.of(o.auxiliaryTypes()));
                types.add(o.type());
                if (types.stream().anyMatch(t -> t.getName().matches(CommandLines.UNCONVERTED_TYPES))) {
                    typed++;
                    if (o.converters().length == 0) {
                        without.add(cl.getCommandSpec().qualifiedName() + " " + o.longestName());
                    }
                }
            }
        }
        assertThat(typed).as("options of such a type (--probe-timeout is a Duration)").isPositive();
        assertThat(without).isEmpty();
    }

    /** Every option's value after parsing the line, command by command, or the error picocli gives. */
    private static List<String> parsed(Supplier<CommandLine> cli, String[] line) {
        CommandLine cl = cli.get();
        List<String> out = new ArrayList<>();
        try {
            for (CommandLine.ParseResult r = cl.parseArgs(line); r != null; r = r.subcommand()) {
                for (OptionSpec o : r.commandSpec().options()) {
                    Object v = o.getValue();
                    out.add(r.commandSpec().qualifiedName() + " " + o.longestName() + "=" + (v instanceof Object[] arr
                            ? Arrays.toString(arr) : v));
                }
            }
        } catch (CommandLine.ParameterException e) {
            out.add("error: " + e.getMessage());
        }
        return out;
    }

    private static Map<String, CommandLine> commands(CommandLine top) {
        Map<String, CommandLine> out = new LinkedHashMap<>();
        walk(top, out);
        return out;
    }

    private static void walk(CommandLine cl, Map<String, CommandLine> out) {
        out.put(cl.getCommandSpec().qualifiedName(), cl);
        cl.getSubcommands().values().forEach(s -> walk(s, out));
    }

    /** Each option with every attribute that tells it from another, in the command's order. */
    private static List<String> options(CommandLine cl) {
        List<String> out = new ArrayList<>();
        for (OptionSpec o : cl.getCommandSpec().options()) {
            List<String> cands = new ArrayList<>();
            if (o.completionCandidates() != null) {
                o.completionCandidates().forEach(cands::add);
            }
            out.add(String.join("|", o.names()) + " arity=" + o.arity() + " label=" + o.paramLabel() + " type="
                    + o.type().getName() + " aux=" + Arrays.stream(o.auxiliaryTypes()).map(Class::getName).toList()
                    + " default=" + o.defaultValue() + " fallback=" + o.fallbackValue() + " required=" + o.required()
                    + " hidden=" + o.hidden() + " negatable=" + o.negatable() + " order=" + o.order() + " split="
                    + o.splitRegex() + " show=" + o.showDefaultValue() + " converters=" + Arrays.stream(o.converters())
                    .map(c -> c.getClass().getName()).toList() + " candidates=" + cands + " help=" + o.usageHelp()
                    + o.versionHelp() + " description=" + List.of(o.description()));
        }
        return out;
    }
}
