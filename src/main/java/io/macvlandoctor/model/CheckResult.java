package io.macvlandoctor.model;

import java.util.List;

/** The outcome of one check id of DESIGN §4, with the frames that show it. */
public record CheckResult(String id, CheckStatus status, String summary, List<Frame> evidence) {
    public CheckResult {
        evidence = List.copyOf(evidence);
    }

    public static CheckResult pass(String id, String summary, List<Frame> evidence) {
        return new CheckResult(id, CheckStatus.PASS, summary, evidence);
    }

    public static CheckResult fail(String id, String summary, List<Frame> evidence) {
        return new CheckResult(id, CheckStatus.FAIL, summary, evidence);
    }

    public static CheckResult skip(String id, String summary) {
        return new CheckResult(id, CheckStatus.SKIP, summary, List.of());
    }
}
