package io.macvlandoctor.cli;

import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/** Interface names for TAB completion: the shell supplies its target's; elsewhere there are none to offer. */
public final class InterfaceCandidates implements Iterable<String> {
    private static volatile Supplier<List<String>> source = List::of;

    public static void use(Supplier<List<String>> names) {
        source = names;
    }

    @Override
    public Iterator<String> iterator() {
        return source.get().iterator();
    }
}
