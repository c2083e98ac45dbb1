package io.macvlandoctor.cli;

import io.macvlandoctor.json.Json;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgGroupSpec;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Spec;

/**
 * At build time: writes the description CommandModel builds the command model from, one file per subcommand of the
 * top command, from picocli's model of the annotations. What CommandModel could not rebuild (an attribute it does
 * not set, an annotation it does not know) fails the build rather than being left out.
 * Usage: CommandModelWriter DIR.
 */
public final class CommandModelWriter {
    private CommandModelWriter() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        CommandLine top = new CommandLine(new MacvlanDoctor());
        Map<String, Object> t = command(top.getCommandSpec());
        t.put(CommandModel.SUBCOMMANDS, new ArrayList<>(top.getSubcommands().keySet()));
        Files.writeString(dir.resolve(CommandModel.TOP + ".json"), Json.write(t));
        for (Map.Entry<String, CommandLine> s : top.getSubcommands().entrySet()) {
            Files.writeString(dir.resolve(s.getKey() + ".json"), Json.write(tree(s.getValue())));
        }
    }

    private static Map<String, Object> tree(CommandLine cl) {
        Map<String, Object> d = command(cl.getCommandSpec());
        if (!cl.getSubcommands().isEmpty()) {
            List<Object> subs = new ArrayList<>();
            cl.getSubcommands().values().forEach(s -> subs.add(tree(s)));
            d.put(CommandModel.SUBCOMMANDS, subs);
        }
        return d;
    }

    private static Map<String, Object> command(CommandSpec cs) {
        Class<?> c = cs.userObject().getClass();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(CommandModel.CLASS, c.getName());
        d.put(CommandModel.NAME, cs.name());
        if (cs.aliases().length > 0) {
            d.put(CommandModel.ALIASES, List.of(cs.aliases()));
        }
        if (cs.mixinStandardHelpOptions()) {
            d.put(CommandModel.STANDARD_HELP, true);
        }
        if (cs.versionProvider() != null && ours(cs.versionProvider().getClass())) {
            d.put(CommandModel.VERSION_PROVIDER, cs.versionProvider().getClass().getName());
        }
        d.put(CommandModel.USAGE, usage(cs.usageMessage()));
        // In the order of the fields, as picocli takes them: the order of the help.
        List<Object> specFields = new ArrayList<>();
        List<Object> members = new ArrayList<>();
        for (Field f : c.getDeclaredFields()) {
            if (f.isAnnotationPresent(Spec.class)) {
                specFields.add(f.getName());
            } else if (f.isAnnotationPresent(Mixin.class)) {
                members.add(mixin(cs, f));
            } else if (f.isAnnotationPresent(ArgGroup.class)) {
                members.add(group(cs, f));
            } else {
                unsupported(f);
                OptionSpec o = optionOf(cs, f);
                if (o != null) {
                    members.add(arg(o));
                }
            }
        }
        for (PositionalParamSpec p : cs.positionalParameters()) {
            if (p.userObject() instanceof Field f && f.getDeclaringClass() == c) {
                throw new IllegalStateException(p + ": CommandModel builds no positional parameters");
            }
        }
        if (!specFields.isEmpty()) {
            d.put(CommandModel.SPEC_FIELDS, specFields);
        }
        if (!members.isEmpty()) {
            d.put(CommandModel.MEMBERS, members);
        }
        return d;
    }

    /** The option the field declares, if it declares one. */
    private static OptionSpec optionOf(CommandSpec cs, Field f) {
        for (OptionSpec o : cs.options()) {
            if (f.equals(o.userObject())) {
                return o;
            }
        }
        return null;
    }

    private static Map<String, Object> mixin(CommandSpec cs, Field f) {
        String name = f.getAnnotation(Mixin.class).name();
        name = name.isEmpty() ? f.getName() : name;
        CommandSpec ms = cs.mixins().get(name);
        Class<?> c = ms.userObject().getClass();
        for (Field inner : c.getDeclaredFields()) {
            if (inner.isAnnotationPresent(Spec.class) || inner.isAnnotationPresent(Mixin.class)
                    || inner.isAnnotationPresent(ArgGroup.class)) {
                throw new IllegalStateException(c.getName() + "." + inner.getName() + ": CommandModel builds no "
                        + "@Spec, @Mixin or @ArgGroup inside a mixin");
            }
            unsupported(inner);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(CommandModel.KIND, CommandModel.MIXIN);
        d.put(CommandModel.NAME, name);
        d.put(CommandModel.FIELD, f.getName());
        d.put(CommandModel.CLASS, c.getName());
        List<Object> members = new ArrayList<>();
        for (Field inner : c.getDeclaredFields()) {
            OptionSpec o = optionOf(ms, inner);
            if (o != null) {
                members.add(arg(o));
            }
        }
        d.put(CommandModel.MEMBERS, members);
        return d;
    }

    private static Map<String, Object> group(CommandSpec cs, Field f) {
        ArgGroupSpec g = cs.argGroups().stream().filter(x -> x.typeInfo().getType() == f.getType()).findFirst()
                .orElseThrow();
        if (!g.subgroups().isEmpty() || !g.positionalParameters().isEmpty() || !g.validate() || g.heading() != null
                || g.order() != -1) {
            throw new IllegalStateException(f + ": CommandModel builds exclusive or plain groups of options only");
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(CommandModel.KIND, CommandModel.GROUP);
        d.put(CommandModel.FIELD, f.getName());
        d.put(CommandModel.EXCLUSIVE, g.exclusive());
        d.put(CommandModel.MULTIPLICITY, g.multiplicity().toString());
        List<Object> options = new ArrayList<>();
        g.options().forEach(o -> options.add(arg(o)));
        d.put(CommandModel.MEMBERS, options);
        return d;
    }

    /** An option's attributes, those that differ from a new option's; one CommandModel does not set fails. */
    private static Map<String, Object> arg(OptionSpec o) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put(CommandModel.KIND, CommandModel.OPTION);
        d.put(CommandModel.FIELD, ((Field) o.userObject()).getName());
        d.put("names", List.of(o.names()));
        d.put("type", o.type().getName());
        Class<?>[] aux = o.auxiliaryTypes();
        if (aux != null && !(aux.length == 1 && aux[0] == o.type())) {
            d.put("auxiliaryTypes", Arrays.stream(aux).map(Class::getName).toList());
        }
        if (o.description().length > 0) {
            d.put("description", List.of(o.description()));
        }
        if (o.paramLabel() != null) {
            d.put("paramLabel", o.paramLabel());
        }
        if (!o.arity().isUnspecified()) {
            d.put("arity", o.arity().originalValue());
        }
        if (o.defaultValue() != null) {
            d.put("defaultValue", o.defaultValue());
        }
        if (o.fallbackValue() != null && !o.fallbackValue().isEmpty()) {
            d.put("fallbackValue", o.fallbackValue());
        }
        put(d, "required", o.required());
        put(d, "hidden", o.hidden());
        put(d, "negatable", o.negatable());
        put(d, "hideParamSyntax", o.hideParamSyntax());
        if (o.order() != -1) {
            d.put("order", (long) o.order());
        }
        if (o.splitRegex() != null && !o.splitRegex().isEmpty()) {
            d.put("splitRegex", o.splitRegex());
        }
        if (o.showDefaultValue() != CommandLine.Help.Visibility.ON_DEMAND) {
            d.put("showDefaultValue", o.showDefaultValue().name());
        }
        if (o.converters().length > 0) {
            d.put("converters", Arrays.stream(o.converters()).map(x -> x.getClass().getName()).toList());
        }
        if (o.completionCandidates() != null && ours(o.completionCandidates().getClass())) {
            d.put("completionCandidates", o.completionCandidates().getClass().getName());
        }
        if (o.usageHelp() || o.versionHelp() || o.interactive() || o.inherited() || o.parameterConsumer() != null
                || (o.descriptionKey() != null && !o.descriptionKey().isEmpty())
                || (o.splitRegexSynopsisLabel() != null && !o.splitRegexSynopsisLabel().isEmpty())) {
            throw new IllegalStateException(o + ": an attribute CommandModel does not set");
        }
        return d;
    }

    private static void put(Map<String, Object> d, String key, boolean value) {
        if (value) {
            d.put(key, true);
        }
    }

    /** The usage attributes that differ from a new command's; any other that differs fails the build. */
    private static Map<String, Object> usage(UsageMessageSpec u) {
        UsageMessageSpec plain = CommandSpec.create().usageMessage();
        Map<String, Object> d = new LinkedHashMap<>();
        for (var m : UsageMessageSpec.class.getMethods()) {
            Class<?> r = m.getReturnType();
            // (The section renderers are objects of picocli's own, the same for every command.)
            if (m.getParameterCount() != 0 || m.getDeclaringClass() != UsageMessageSpec.class
                    || m.getName().equals("sectionMap")
                    || !(r == String.class || r == String[].class || r == boolean.class || r == int.class
                    || r == char.class || r == Map.class)) {
                continue;
            }
            Object mine;
            Object theirs;
            try {
                mine = m.invoke(u);
                theirs = m.invoke(plain);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (Objects.deepEquals(mine, theirs)) {
                continue;
            }
            if (!CommandModel.USAGE_KEYS.contains(m.getName())) {
                throw new IllegalStateException("usage attribute " + m.getName() + " is set, and CommandModel does "
                        + "not set it");
            }
            d.put(m.getName(), mine instanceof String[] s ? List.of(s) : mine instanceof Map<?, ?> map
                    ? new LinkedHashMap<>(map) : mine);
        }
        return d;
    }

    private static void unsupported(Field f) {
        for (var a : f.getAnnotations()) {
            String n = a.annotationType().getName();
            if (n.startsWith("picocli.") && !n.endsWith("$Option") && !n.endsWith("$Parameters")) {
                throw new IllegalStateException(f + ": CommandModel does not build @" + a.annotationType()
                        .getSimpleName());
            }
        }
    }

    private static boolean ours(Class<?> c) {
        return c.getName().startsWith("io.macvlandoctor.");
    }
}
