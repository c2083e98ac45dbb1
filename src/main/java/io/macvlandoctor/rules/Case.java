package io.macvlandoctor.rules;

import io.macvlandoctor.analysis.FamilyRun;
import io.macvlandoctor.model.Cause;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.Family;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.KernelEvent;
import io.macvlandoctor.model.KernelFacts;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.MacvlanMode;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.Target;
import java.util.List;

/**
 * What one rule is asked about: the context, the failed family it judges (null in the host-wide stages), and what
 * the rules before it found.
 */
public record Case(Context ctx, FamilyRun run, List<Diagnosis> found) {
    public KernelFacts k() {
        return ctx.k();
    }

    public Family family() {
        return run == null ? null : run.family();
    }

    public Netns ns() {
        return ctx.k().hostNs();
    }

    public String parent() {
        return ctx.k().parent().name();
    }

    /** The shim's name; without one, the name a new one gets (the usual one unless it is taken). */
    public String shim() {
        return ctx.k().shim() != null ? ctx.k().shim().name() : freeShimName(ctx.k());
    }

    /** The container's address of the judged family. */
    public IpAddress ctr() {
        return ctx.k().containerIp(family());
    }

    public IpAddress host() {
        return ctx.k().hostIp(family());
    }

    /** Whether a rule before this one named one of these causes (for any family, or a family-less one). */
    public boolean found(Cause... causes) {
        for (Diagnosis d : found) {
            for (Cause c : causes) {
                if (d.cause() == c) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The first of these causes found for the judged family, or null. */
    public Cause foundFor(Cause... causes) {
        for (Diagnosis d : found) {
            for (Cause c : causes) {
                if (d.cause() == c && (d.family() == null || d.family() == family())) {
                    return c;
                }
            }
        }
        return null;
    }

    /** The shim exists, is a bridge-mode macvlan of the parent, and is up: frames can meet on it. */
    public boolean shimUsable() {
        Link s = ctx.k().shim();
        return s != null && MacvlanMode.BRIDGE.id().equals(s.macvlanMode()) && s.adminUp()
                && !found(Cause.SHIM_PARENT, Cause.NO_SHIM);
    }

    /** The kernel's recorded decisions of one kind. */
    public <T extends KernelEvent> List<T> kernel(Class<T> kind) {
        return ctx.kernel().stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    /** The name for a new shim: the usual one unless a link of that name exists already. */
    static String freeShimName(KernelFacts k) {
        String name = Target.DEFAULT_SHIM;
        for (int i = 1; k.hostLink(name) != null; i++) {
            name = "macvlan" + i + "-host";
        }
        return name;
    }
}
