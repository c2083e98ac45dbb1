package io.macvlandoctor.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.analysis.Judge;
import io.macvlandoctor.analysis.Recorded;
import io.macvlandoctor.model.Diagnosis;
import io.macvlandoctor.model.IpAddress;
import io.macvlandoctor.model.Link;
import io.macvlandoctor.model.Neighbour;
import io.macvlandoctor.model.Netns;
import io.macvlandoctor.model.PolicyRule;
import io.macvlandoctor.model.Report;
import io.macvlandoctor.model.Route;
import io.macvlandoctor.model.change.Change;
import io.macvlandoctor.model.change.Host;
import io.macvlandoctor.report.JsonReport;
import io.macvlandoctor.rules.Context;
import io.macvlandoctor.rules.Diagnoser;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * For every cause with a fix in the recorded captures: what diagnose --apply journals is the very list of values the
 * report printed (the same objects, in order), and making each one runs exactly the command the report printed
 * for it. Nothing is printed and parsed back.
 */
class FixesAsPrintedTest {
    /** A host that makes nothing and writes down each effect as a user would type it. */
    static final class Typing implements Host {
        final List<String> typed = new ArrayList<>();

        @Override
        public Result ip(Netns ns, List<String> args) {
            typed.add(ns.ip(String.join(" ", args)));
            return new Result(true, "", "");
        }

        @Override
        public Result exec(Netns ns, List<String> argv) {
            // The journal asks nft to echo the handle of the rule it adds: the same rule, said back.
            typed.add(ns.exec(String.join(" ", argv).replace("nft --echo --handle ", "nft ")));
            return new Result(true, "add rule # handle 9", "");
        }

        @Override
        public void writeSysctl(Netns ns, String name, int value) {
            typed.add(ns.sysctl(name, value));
        }

        @Override
        public Integer readSysctl(Netns ns, String name) {
            return null;
        }

        @Override
        public List<Link> links(Netns ns) {
            return List.of();
        }

        @Override
        public List<Route> routes(Netns ns) {
            return List.of();
        }

        @Override
        public List<Neighbour> neighbours(Netns ns, IpAddress ip) {
            return List.of();
        }

        @Override
        public List<Neighbour> proxies(Netns ns) {
            return List.of();
        }

        @Override
        public List<PolicyRule> rules(Netns ns) {
            return List.of();
        }

        @Override
        public void flushNeighbours(Netns ns, List<IpAddress> ips) {
        }

        @Override
        public String readFile(String path) {
            return null;
        }

        @Override
        public void writeFile(String path, String text, int mode) {
            typed.add("write " + path);
        }

        @Override
        public int mode(String path) {
            return 0644;
        }

        @Override
        public boolean delete(String path) {
            return true;
        }

        @Override
        public void mkdir(String path) {
            typed.add("mkdir " + path);
        }

        @Override
        public boolean rmdirIfEmpty(String path) {
            return true;
        }

        @Override
        public void symlink(String path, String target) {
        }

        @Override
        public String readLink(String path) {
            return null;
        }

        @Override
        public boolean exists(String path) {
            return false;
        }

        @Override
        public void mountTracefs(String dir) {
        }

        @Override
        public boolean unmount(String dir) {
            return true;
        }

        @Override
        public boolean tracefsMountedAt(String dir) {
            return false;
        }
    }

    static Report report(String capture) {
        Recorded r = Recorded.load(capture);
        Judge.Judgement j = Judge.judge(r.topology(), r.coverage(), r.frames(), null, r.outcomes());
        List<Diagnosis> d = Diagnoser.diagnose(new Context(r.kernel(), j.runs(), Set.of(), Set.of()));
        return new Report("diagnose", r.topology(), List.of(), j.checks(), d, List.of(), List.of(), r.kernel(), null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void whatApplyJournalsIsWhatThePrintedReportSays() {
        int fixes = 0;
        for (String name : Recorded.names()) {
            Report report = report(name);
            if (report.diagnosis().stream().allMatch(d -> d.fix().isEmpty())) {
                continue;
            }
            List<Change> applied = Repair.changes(report);
            List<Change> printed = new ArrayList<>();
            report.diagnosis().forEach(d -> printed.addAll(d.fix()));
            assertThat(applied).as(name).hasSameSizeAs(printed);
            Map<Change, Boolean> same = new IdentityHashMap<>();
            printed.forEach(c -> same.put(c, true));
            assertThat(applied).as(name + ": the very values the report holds").allMatch(same::containsKey);

            List<String> json = new ArrayList<>();
            for (Object o : (List<Object>) JsonReport.toMap(report).get("diagnosis")) {
                json.addAll((List<String>) ((Map<String, Object>) o).get("fix"));
            }
            Typing host = new Typing();
            applied.forEach(c -> c.apply(host));
            assertThat(host.typed).as(name + ": each change made runs the command printed for it")
                    .containsExactlyElementsOf(json);
            fixes += applied.size();
        }
        assertThat(fixes).as("the recorded captures hold fixes to check").isGreaterThan(10);
    }
}
