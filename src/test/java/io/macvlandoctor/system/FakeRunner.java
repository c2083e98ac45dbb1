package io.macvlandoctor.system;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Records every argv and answers from a function: iproute2 without a kernel. */
public final class FakeRunner extends ProcessRunner {
    public final List<String> commands = new ArrayList<>();
    private final Function<List<String>, Result> answer;

    public FakeRunner(Function<List<String>, Result> answer) {
        this.answer = answer;
    }

    public static Result ok(List<String> argv, String stdout) {
        return new Result(argv, 0, stdout, "");
    }

    public static Result fail(List<String> argv, String stderr) {
        return new Result(argv, 2, "", stderr);
    }

    @Override
    public boolean live() {
        return false;
    }

    @Override
    public Result run(List<String> argv) {
        commands.add(String.join(" ", argv));
        return answer.apply(argv);
    }

    /** The commands that change something (everything but the JSON reads). */
    public List<String> changes() {
        return commands.stream().filter(c -> !c.contains(" -j")).toList();
    }
}
