package io.macvlandoctor.model;

import java.util.List;

/** The outcome of one check id, with the frames that show it. */
public record CheckResult(CheckId id, CheckStatus status, String summary, List<Frame> evidence) {
    public CheckResult {
        evidence = List.copyOf(evidence);
    }

    public static CheckResult pass(CheckId id, String summary, List<Frame> evidence) {
        return new CheckResult(id, CheckStatus.PASS, summary, evidence);
    }

    public static CheckResult fail(CheckId id, String summary, List<Frame> evidence) {
        return new CheckResult(id, CheckStatus.FAIL, summary, evidence);
    }

    public static CheckResult unproven(CheckId id, String summary) {
        return new CheckResult(id, CheckStatus.UNPROVEN, summary, List.of());
    }

    public static CheckResult unproven(CheckId id, String summary, List<Frame> evidence) {
        return new CheckResult(id, CheckStatus.UNPROVEN, summary, evidence);
    }

    public static CheckResult notApplicable(CheckId id, String summary) {
        return new CheckResult(id, CheckStatus.NOT_APPLICABLE, summary, List.of());
    }
}
