package io.macvlandoctor.analysis;

import io.macvlandoctor.model.CheckId;
import io.macvlandoctor.model.CheckResult;
import io.macvlandoctor.model.CheckStatus;
import io.macvlandoctor.model.Family;
import java.util.ArrayList;
import java.util.List;

/**
 * What one family's probes showed: its exchanges and the checks judged on them, those of the path between host and
 * container (checks) and those of the container's path to the LAN (lan).
 */
public record FamilyRun(Family family, ProbeExchanges exchanges, List<CheckResult> checks, LanChecks.Result lan) {
    public FamilyRun {
        checks = List.copyOf(checks);
        lan = lan == null ? LanChecks.Result.NONE : lan;
    }

    public FamilyRun(Family family, ProbeExchanges exchanges, List<CheckResult> checks) {
        this(family, exchanges, checks, LanChecks.Result.NONE);
    }

    /** A check of the LAN path failed. */
    public boolean lanFailed() {
        return lan.failed();
    }

    /** Every check, the host path's then the LAN's. */
    public List<CheckResult> allChecks() {
        List<CheckResult> l = new ArrayList<>(checks);
        l.addAll(lan.checks());
        return l;
    }

    public boolean failed(CheckId.Kind k) {
        return checks.stream().anyMatch(c -> c.id().kind() == k && c.status() == CheckStatus.FAIL);
    }

    public boolean passed(CheckId.Kind k) {
        return checks.stream().anyMatch(c -> c.id().kind() == k && c.status() == CheckStatus.PASS);
    }

    public boolean anyFailed() {
        return checks.stream().anyMatch(c -> c.status() == CheckStatus.FAIL);
    }

    /** A check failed or could not be proven: the run is no pass. */
    public boolean notPassed() {
        return checks.stream().anyMatch(c -> c.status() == CheckStatus.FAIL || c.status() == CheckStatus.UNPROVEN);
    }

    public boolean hostFailed() {
        return failed(CheckId.Kind.HOST_ICMP);
    }

    public boolean resolveFailed() {
        return failed(CheckId.Kind.CONTAINER_RESOLVES_HOST);
    }

    public boolean containerFailed() {
        return resolveFailed() || failed(CheckId.Kind.CONTAINER_ICMP);
    }
}
