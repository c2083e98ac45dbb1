package io.macvlandoctor.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.macvlandoctor.analysis.Recorded;
import io.macvlandoctor.model.KernelFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of facts files and of the facts in section comments: reading them either succeeds or raises
 * IllegalArgumentException (which the CLI turns into exit 2 naming the file); nothing else may escape.
 */
class FactsFuzzTest {
    private static final String ALPHABET = "{}[]\":,0123456789-.eE truefalsnul\\u00e9\u00e9\u20ac";

    /** One to eight characters replaced, inserted or dropped, and sometimes the text cut short. */
    static String mutate(String s, Random rnd) {
        StringBuilder b = new StringBuilder(s);
        for (int k = 1 + rnd.nextInt(8); k > 0 && b.length() > 0; k--) {
            int at = rnd.nextInt(b.length());
            char c = ALPHABET.charAt(rnd.nextInt(ALPHABET.length()));
            switch (rnd.nextInt(3)) {
                case 0 -> b.setCharAt(at, c);
                case 1 -> b.insert(at, c);
                default -> b.deleteCharAt(at);
            }
        }
        if (rnd.nextInt(5) == 0) {
            b.setLength(rnd.nextInt(b.length() + 1));
        }
        return b.toString();
    }

    @Test
    void mutatedFactsFilesAreReadOrRefused() {
        KernelFacts k = Recorded.load("dual-stack").kernel();
        String seed = FactsJson.writeFile(k, "test");
        assertThat(FactsJson.readFile(seed).hostLinks()).isEqualTo(k.hostLinks());
        Random rnd = new Random(11);
        int refused = 0;
        for (int i = 0; i < 2000; i++) {
            try {
                FactsJson.readFile(mutate(seed, rnd));
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).isNotBlank();
                refused++;
            }
        }
        assertThat(refused).as("some mutations must have been refused").isPositive();
    }

    @Test
    void mutatedSectionCommentsAreReadOrRefused() {
        Recorded r = Recorded.load("healthy");
        List<String> seed = FactsJson.encodeComments(new FactsJson.Recorded(r.topology(), r.outcomes(), r.coverage(),
                r.kernel()));
        assertThat(FactsJson.decodeComments(seed).topology()).isEqualTo(r.topology());
        Random rnd = new Random(13);
        int refused = 0;
        for (int i = 0; i < 2000; i++) {
            List<String> m = new ArrayList<>(seed);
            int which = rnd.nextInt(m.size());
            m.set(which, mutate(m.get(which), rnd));
            if (rnd.nextInt(10) == 0) {
                m.remove(rnd.nextInt(m.size()));
            }
            try {
                FactsJson.decodeComments(m);
            } catch (IllegalArgumentException e) {
                assertThat(e.getMessage()).isNotBlank();
                refused++;
            }
        }
        assertThat(refused).as("some mutations must have been refused").isPositive();
    }
}
