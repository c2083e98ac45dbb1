package io.macvlandoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** --version is answered without picocli, and says exactly what picocli's version help says. */
class VersionTest {
    @Test
    void theVersionWithoutACommandModelIsPicoclisWordForWord() {
        for (String flag : new String[] {"--version", "-V"}) {
            StringWriter picocli = new StringWriter();
            CommandLine cl = CommandLines.forArgs(new String[] {flag});
            cl.setOut(new PrintWriter(picocli));
            assertThat(cl.execute(flag)).isZero();

            PrintStream was = System.out;
            ByteArrayOutputStream ours = new ByteArrayOutputStream();
            System.setOut(new PrintStream(ours, true, StandardCharsets.UTF_8));
            int code;
            try {
                code = Main.run(new String[] {flag});
            } finally {
                System.setOut(was);
            }
            assertThat(code).isZero();
            assertThat(ours.toString(StandardCharsets.UTF_8)).isEqualTo(picocli.toString())
                    .startsWith("macvlan-doctor ").contains("Java ");
        }
    }
}
