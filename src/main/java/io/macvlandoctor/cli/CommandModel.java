package io.macvlandoctor.cli;

import io.macvlandoctor.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The command model, built from a description the build wrote (CommandModelWriter, from the annotations) rather
 * than from the annotations themselves: reading an annotation makes the JDK generate a proxy class for its type, at
 * run time and out of reach of the start-up archive, and picocli reads hundreds. The objects and their fields are
 * reached by plain Java (CommandAccess, written at compile time): by reflection, each new field type and each
 * constructor makes the JDK spin method handles first. Together 25-30 ms of every run's start. The annotations stay
 * the one place the commands are declared; the man pages and the completion script are made from them at build time,
 * and CommandModelTest holds the two models to the same help, options, values and errors.
 */
final class CommandModel {
    /** Where the build puts one description per subcommand of the top command, and the top command's own. */
    static final String DIR = "/io/macvlandoctor/cli/model/";
    static final String TOP = "macvlan-doctor";

    // The keys of a description.
    static final String CLASS = "class";
    static final String NAME = "name";
    static final String ALIASES = "aliases";
    static final String STANDARD_HELP = "standardHelp";
    /** picocli's key of the -h and -V options' mixin (CommandSpec.mixinStandardHelpOptions() looks for it). */
    private static final String STANDARD_HELP_MIXIN = "mixinStandardHelpOptions";
    static final String VERSION_PROVIDER = "versionProvider";
    static final String USAGE = "usage";
    static final String SPEC_FIELDS = "specFields";
    /** Options, mixins and groups of options, in the order of the fields that declare them (the help's). */
    static final String MEMBERS = "members";
    static final String KIND = "kind";
    static final String OPTION = "option";
    static final String MIXIN = "mixin";
    static final String GROUP = "group";
    static final String SUBCOMMANDS = "subcommands";
    static final String FIELD = "field";
    static final String EXCLUSIVE = "exclusive";
    static final String MULTIPLICITY = "multiplicity";
    // An option's attributes are under picocli's own names for them (see option()).
    // The usage message's keys: picocli's names, each with its setter below.
    static final List<String> USAGE_KEYS = List.of("description", "header", "footer", "sortOptions",
            "exitCodeListHeading", "exitCodeList", "abbreviateSynopsis", "showDefaultValues", "hidden",
            "synopsisHeading", "commandListHeading", "optionListHeading", "parameterListHeading", "descriptionHeading",
            "headerHeading", "footerHeading");

    private CommandModel() {
    }

    /** The names of the top command's subcommands, in the order of its help. */
    @SuppressWarnings("unchecked")
    static List<String> subcommandNames() {
        return (List<String>) Top.DESCRIPTION.get(SUBCOMMANDS);
    }

    /** The top command without its subcommands. */
    static CommandSpec top() {
        return command(Top.DESCRIPTION);
    }

    /** The top command's description, read once (a run asks for its subcommands' names, then for it). */
    private static final class Top {
        static final Map<String, Object> DESCRIPTION = description(TOP);
    }

    /** A subcommand of the top one, with its own subcommands; null when there is none by that name. */
    static CommandLine subcommand(String name) {
        if (!subcommandNames().contains(name)) {
            return null;
        }
        return tree(description(name));
    }

    /** The whole CLI. */
    static CommandLine whole() {
        CommandLine top = new CommandLine(top());
        for (String name : subcommandNames()) {
            top.addSubcommand(name, subcommand(name));
        }
        return top;
    }

    private static Map<String, Object> description(String name) {
        try (InputStream in = CommandModel.class.getResourceAsStream(DIR + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("the command model of '" + name + "' is not in the jar (the build "
                        + "writes it)");
            }
            return map(Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static CommandLine tree(Map<String, Object> d) {
        CommandLine cl = new CommandLine(command(d));
        for (Object sub : (List<Object>) d.getOrDefault(SUBCOMMANDS, List.of())) {
            Map<String, Object> s = map(sub);
            cl.addSubcommand((String) s.get(NAME), tree(s));
        }
        return cl;
    }

    @SuppressWarnings("unchecked")
    private static CommandSpec command(Map<String, Object> d) {
        Object user = newInstance((String) d.get(CLASS));
        CommandSpec spec = CommandSpec.wrapWithoutInspection(user).name((String) d.get(NAME));
        spec.aliases(strings(d.getOrDefault(ALIASES, List.of())));
        if (d.get(VERSION_PROVIDER) != null) {
            spec.versionProvider((CommandLine.IVersionProvider) newInstance((String) d.get(VERSION_PROVIDER)));
        }
        usage(spec.usageMessage(), map(d.getOrDefault(USAGE, Map.of())));
        for (Object f : (List<Object>) d.getOrDefault(SPEC_FIELDS, List.of())) {
            new Binding(user, (String) f).set(spec);
        }
        for (Object m : (List<Object>) d.getOrDefault(MEMBERS, List.of())) {
            member(spec, user, map(m));
        }
        // Last, as picocli adds them to an annotated command.
        if (Boolean.TRUE.equals(d.get(STANDARD_HELP))) {
            spec.addMixin(STANDARD_HELP_MIXIN, standardHelp());
        }
        return spec;
    }

    /**
     * -h and -V as picocli's mixinStandardHelpOptions makes them, under its name for them, but built here: picocli
     * builds them from an annotated class of its own. Their values stay in the options (nothing reads a field).
     */
    private static CommandSpec standardHelp() {
        CommandSpec m = CommandSpec.create();
        m.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).type(boolean.class).arity("0")
                .initialValue(false).paramLabel("<helpRequested>").descriptionKey("mixinStandardHelpOptions.help")
                .description("Show this help message and exit.").build());
        m.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).type(boolean.class).arity("0")
                .initialValue(false).paramLabel("<versionRequested>").descriptionKey("mixinStandardHelpOptions.version")
                .description("Print version information and exit.").build());
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void member(CommandSpec spec, Object user, Map<String, Object> d) {
        List<Object> members = (List<Object>) d.getOrDefault(MEMBERS, List.of());
        switch ((String) d.get(KIND)) {
            case OPTION -> spec.addOption(option(d, user));
            case MIXIN -> {
                Binding field = new Binding(user, (String) d.get(FIELD));
                Object mixin = field.get();
                if (mixin == null) {
                    mixin = newInstance((String) d.get(CLASS));
                    field.set(mixin);
                }
                CommandSpec ms = CommandSpec.wrapWithoutInspection(mixin);
                for (Object o : members) {
                    ms.addOption(option(map(o), mixin));
                }
                spec.addMixin((String) d.get(NAME), ms);
            }
            case GROUP -> {
                // The group's options are bound to the object the command's field holds from its construction.
                Object group = new Binding(user, (String) d.get(FIELD)).get();
                ArgGroupSpec.Builder b = ArgGroupSpec.builder().exclusive(Boolean.TRUE.equals(d.get(EXCLUSIVE)))
                        .multiplicity((String) d.get(MULTIPLICITY));
                for (Object o : members) {
                    b.addArg(option(map(o), group));
                }
                spec.addArgGroup(b.build());
            }
            default -> throw new IllegalStateException("the command model has a member of kind '" + d.get(KIND)
                    + "' this build does not know");
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static OptionSpec option(Map<String, Object> a, Object user) {
        Binding field = new Binding(user, (String) a.get(FIELD));
        // The initial value is what the field holds as constructed, as picocli takes it from an annotated field.
        OptionSpec.Builder b = OptionSpec.builder(strings(a.get("names"))).getter(field).setter(field)
                .type(type((String) a.get("type"))).initialValue(field.get());
        for (Map.Entry<String, Object> e : a.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case KIND, FIELD, "names", "type" -> {
                    // Above.
                }
                case "auxiliaryTypes" -> b.auxiliaryTypes(((List<String>) v).stream().map(CommandModel::type)
                        .toArray(Class<?>[]::new));
                case "description" -> b.description(strings(v));
                case "paramLabel" -> b.paramLabel((String) v);
                case "arity" -> b.arity((String) v);
                case "defaultValue" -> b.defaultValue((String) v);
                case "fallbackValue" -> b.fallbackValue((String) v);
                case "required" -> b.required((Boolean) v);
                case "hidden" -> b.hidden((Boolean) v);
                case "negatable" -> b.negatable((Boolean) v);
                case "order" -> b.order(((Long) v).intValue());
                case "hideParamSyntax" -> b.hideParamSyntax((Boolean) v);
                case "splitRegex" -> b.splitRegex((String) v);
                case "showDefaultValue" -> b.showDefaultValue(CommandLine.Help.Visibility.valueOf((String) v));
                case "converters" -> b.converters(((List<String>) v).stream()
                        .map(c -> (CommandLine.ITypeConverter) newInstance(c)).toArray(CommandLine.ITypeConverter[]::new));
                case "completionCandidates" -> b.completionCandidates((Iterable<String>) newInstance((String) v));
                default -> throw new IllegalStateException("the command model has an option attribute '" + e.getKey()
                        + "' this build does not know");
            }
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static void usage(UsageMessageSpec u, Map<String, Object> d) {
        for (Map.Entry<String, Object> e : d.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "description" -> u.description(strings(v));
                case "header" -> u.header(strings(v));
                case "footer" -> u.footer(strings(v));
                case "sortOptions" -> u.sortOptions((Boolean) v);
                case "exitCodeListHeading" -> u.exitCodeListHeading((String) v);
                case "exitCodeList" -> {
                    Map<String, String> codes = new LinkedHashMap<>();
                    map(v).forEach((k, x) -> codes.put(k, (String) x));
                    u.exitCodeList(codes);
                }
                case "abbreviateSynopsis" -> u.abbreviateSynopsis((Boolean) v);
                case "showDefaultValues" -> u.showDefaultValues((Boolean) v);
                case "hidden" -> u.hidden((Boolean) v);
                case "synopsisHeading" -> u.synopsisHeading((String) v);
                case "commandListHeading" -> u.commandListHeading((String) v);
                case "optionListHeading" -> u.optionListHeading((String) v);
                case "parameterListHeading" -> u.parameterListHeading((String) v);
                case "descriptionHeading" -> u.descriptionHeading((String) v);
                case "headerHeading" -> u.headerHeading((String) v);
                case "footerHeading" -> u.footerHeading((String) v);
                default -> throw new IllegalStateException("the command model has a usage attribute '" + e.getKey()
                        + "' this build does not know");
            }
        }
    }

    static Class<?> type(String name) {
        return switch (name) {
            case "boolean" -> boolean.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "double" -> double.class;
            default -> {
                try {
                    yield Class.forName(name, false, CommandModel.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException("the command model names a class that is not here: " + name, e);
                }
            }
        };
    }

    private static Object newInstance(String className) {
        return CommandAccess.create(className);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static String[] strings(Object o) {
        return ((List<String>) o).toArray(new String[0]);
    }

    /** An option's (or a mixin's, or the spec's) field, read and written by plain Java (CommandAccess). */
    private record Binding(Object target, String field) implements IGetter, ISetter {
        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) CommandAccess.get(target, field);
        }

        @Override
        public <T> T set(T value) {
            T old = get();
            CommandAccess.set(target, field, value);
            return old;
        }
    }
}
