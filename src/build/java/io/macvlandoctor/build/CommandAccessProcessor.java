package io.macvlandoctor.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiFunction;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.tools.Diagnostic;

/**
 * At compile time: writes io.macvlandoctor.cli.CommandAccess, which creates the CLI's command, mixin, converter and
 * candidate objects and reads and writes their picocli fields by plain Java: by reflection, each field's first access
 * and each class's first construction make the JDK spin method handles, milliseconds each at start-up, where a run
 * builds its command model (cli/CommandModel). Only the package io.macvlandoctor.cli is looked at.
 */
@SupportedAnnotationTypes({"picocli.CommandLine.Command", "picocli.CommandLine.Option", "picocli.CommandLine.Mixin",
    "picocli.CommandLine.ArgGroup", "picocli.CommandLine.Spec"})
public final class CommandAccessProcessor extends AbstractProcessor {
    static final String PACKAGE = "io.macvlandoctor.cli";
    private static final Set<String> FIELD_ANNOTATIONS = Set.of("picocli.CommandLine.Option",
            "picocli.CommandLine.Mixin", "picocli.CommandLine.ArgGroup", "picocli.CommandLine.Spec");

    /** Binary class name -> (field -> its type as written in Java). */
    private final Map<String, Map<String, String>> fields = new TreeMap<>();
    /** Binary name -> canonical name, of every class the model constructs. */
    private final Map<String, String> created = new TreeMap<>();
    private boolean written;

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        for (TypeElement a : annotations) {
            for (Element e : round.getElementsAnnotatedWith(a)) {
                if (!inPackage(e)) {
                    continue;
                }
                if (e.getKind() == ElementKind.CLASS) {
                    create((TypeElement) e);
                } else if (e.getKind() == ElementKind.FIELD) {
                    field(e);
                }
                for (AnnotationMirror m : e.getAnnotationMirrors()) {
                    m.getElementValues().forEach((k, v) -> classes(v));
                }
            }
        }
        if (round.processingOver() && !written) {
            written = true;
            write();
        }
        return false;
    }

    private void field(Element f) {
        boolean ours = f.getAnnotationMirrors().stream().anyMatch(m -> FIELD_ANNOTATIONS.contains(
                ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().toString()));
        if (!ours) {
            return;
        }
        if (f.getModifiers().contains(Modifier.PRIVATE) || f.getModifiers().contains(Modifier.FINAL)) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "a picocli field of the CLI is private "
                    + "or final: CommandAccess cannot set it", f);
            return;
        }
        TypeElement owner = (TypeElement) f.getEnclosingElement();
        TypeMirror type = processingEnv.getTypeUtils().erasure(f.asType());
        fields.computeIfAbsent(binary(owner), k -> new TreeMap<>()).put(f.getSimpleName().toString(),
                boxed(type));
        if (isMixin(f) && type.getKind() == TypeKind.DECLARED) {
            create((TypeElement) ((DeclaredType) type).asElement());
        }
    }

    private static boolean isMixin(Element f) {
        return f.getAnnotationMirrors().stream().anyMatch(m -> ((TypeElement) m.getAnnotationType().asElement())
                .getQualifiedName().contentEquals("picocli.CommandLine.Mixin"));
    }

    /** The classes an annotation names (converter, completionCandidates, versionProvider, subcommands). */
    private void classes(AnnotationValue v) {
        Object value = v.getValue();
        if (value instanceof TypeMirror t && t.getKind() == TypeKind.DECLARED) {
            TypeElement e = (TypeElement) ((DeclaredType) t).asElement();
            if (inPackage(e)) {
                create(e);
            }
        } else if (value instanceof List<?> l) {
            for (Object x : l) {
                if (x instanceof AnnotationValue av) {
                    classes(av);
                }
            }
        }
    }

    private void create(TypeElement e) {
        created.put(binary(e), e.getQualifiedName().toString());
    }

    private boolean inPackage(Element e) {
        return processingEnv.getElementUtils().getPackageOf(e).getQualifiedName().contentEquals(PACKAGE);
    }

    private String binary(TypeElement e) {
        return processingEnv.getElementUtils().getBinaryName(e).toString();
    }

    private String boxed(TypeMirror t) {
        return t.getKind().isPrimitive()
                ? processingEnv.getTypeUtils().boxedClass((javax.lang.model.type.PrimitiveType) t).getQualifiedName()
                        .toString()
                : t.toString();
    }

    private void write() {
        StringBuilder s = new StringBuilder();
        s.append("package ").append(PACKAGE).append(";\n\n")
                .append("/** Written by io.macvlandoctor.build.CommandAccessProcessor: see there. */\n")
                .append("@javax.annotation.processing.Generated(\"io.macvlandoctor.build.CommandAccessProcessor\")\n")
                .append("@SuppressWarnings({\"rawtypes\", \"unchecked\"})\n")
                .append("final class CommandAccess {\n    private CommandAccess() {\n    }\n\n");
        s.append("    static Object create(String className) {\n        return switch (className) {\n");
        created.forEach((bin, canonical) -> s.append("            case \"").append(bin).append("\" -> new ")
                .append(canonical).append("();\n"));
        s.append("            default -> throw new IllegalArgumentException(\"not a class of the CLI: \" + className);\n")
                .append("        };\n    }\n\n");
        accessor(s, "static Object get(Object target, String field)", (f, type) -> "return t." + f + ";");
        accessor(s, "static void set(Object target, String field, Object value)",
                (f, type) -> "t." + f + " = (" + type + ") value; return;");
        s.append("}\n");
        try (Writer w = processingEnv.getFiler().createSourceFile(PACKAGE + ".CommandAccess").openWriter()) {
            w.write(s.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A method that finds the field by its class and name and does what each case says with it. */
    private void accessor(StringBuilder s, String signature, BiFunction<String, String, String> body) {
        s.append("    ").append(signature).append(" {\n");
        fields.forEach((bin, fs) -> {
            s.append("        if (target instanceof ").append(created.getOrDefault(bin, canonical(bin)))
                    .append(" t) {\n            switch (field) {\n");
            fs.forEach((f, type) -> s.append("                case \"").append(f).append("\": ")
                    .append(body.apply(f, type)).append("\n"));
            s.append("                default: break;\n            }\n        }\n");
        });
        s.append("        throw new IllegalArgumentException(\"no field \" + field + \" of the CLI in \" + target);\n")
                .append("    }\n\n");
    }

    private static String canonical(String binary) {
        return binary.replace('$', '.');
    }

}
