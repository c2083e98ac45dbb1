package io.macvlandoctor.model.change;

import io.macvlandoctor.model.Netns;

/**
 * One change to a host: the unit the journal writes down before it is made, makes, records as made and undoes. Each
 * kind is a record that knows its command line (rendered once, here, for every report), how to make it, how to
 * undo it as it was made, and whether a change written down but never recorded is in place (teardown --recover).
 * A fix, a setup plan and the boot-time configuration are lists of these values: what is printed is what is made.
 */
public sealed interface Change permits LinkAdd, LinkState, LinkPromisc, LinkDelete, AddressAdd, RouteAdd, RouteReplace,
        RouteDelete, ProxyEntry, NeighbourFlush, NeighbourEntry, RuleAdd, SysctlSet, FirewallAccept, FileWrite,
        DirCreate, SymlinkCreate, TraceMount, TraceInstance, Legacy {

    /** Whether a change that was written down is in place now, as it would have made it. */
    enum Presence { MADE, NOT_MADE, UNKNOWN }

    /** Where the change is made. */
    Netns ns();

    /** What it does, in words ("route 10.0.0.5 through mv-shim"). */
    String summary();

    /** The command line that makes it, as a user types it in a root shell on the host. */
    String command();

    /** The command line that undoes it; empty when there is nothing to undo. */
    String undoCommand();

    /**
     * Whether it changes the host's networking (what a user counts as a change made); the run's own trace
     * instance and mount, bookkeeping of the tool's, do not.
     */
    default boolean networking() {
        return true;
    }

    /** Nothing to undo (a neighbour flush): no write-ahead needed. */
    default boolean undoable() {
        return true;
    }

    /**
     * Makes the change; returns it as made, with what only making it tells (the ifindex and MAC of a link, a rule's
     * handle, the protocol and metric the kernel gave a route), which its undo needs.
     *
     * @throws io.macvlandoctor.EnvironmentException when the host refuses it
     */
    Change apply(Host h);

    /**
     * Undoes the change as it was made, in the namespace where it now is, and says what happened in one line:
     * "undone: ...", "already gone: ..." or "left alone: ..." (something else took its place).
     */
    String undo(Host h, Netns where);

    /** For teardown --recover: whether the change is in place, as only this change could have made it. */
    Presence presence(Host h, Netns where);

    /** The same change, recorded as found in place by presence (a link's identity, a rule's handle). */
    default Change asFound(Host h, Netns where) {
        return this;
    }
}
