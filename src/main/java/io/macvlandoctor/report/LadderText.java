package io.macvlandoctor.report;

import io.macvlandoctor.model.Mac;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A ladder in the terminal: a column per lane headed by its point's name, a row per frame (its time after the
 * first, the arrow from sender to receiver with a dot where it was seen, its MACs), and where nothing answered a
 * cross at the lane where the path stops. Box-drawing characters, or ASCII.
 */
public final class LadderText {
    private static final int MARGIN = 15;

    private LadderText() {
    }

    /** The characters a ladder is drawn with. */
    private record Pen(char lane, char line, char right, char left, char seen, char junction, char stop, char cut) {
        static final Pen UNICODE = new Pen('│', '─', '▶', '◀', '●', '┼', '✗', '…');
        static final Pen ASCII = new Pen('|', '-', '>', '<', '*', '+', 'X', '~');
    }

    public static List<String> lines(Ladder l, Style s) {
        Pen pen = s.unicode() ? Pen.UNICODE : Pen.ASCII;
        // Wide enough for "who-has 192.168.136.240" between two neighbouring lanes.
        int w = 27;
        for (Ladder.Lane lane : l.lanes()) {
            w = Math.max(w, lane.name().length() + 4);
        }
        int width = MARGIN + l.lanes().size() * w;
        List<String> out = new ArrayList<>();
        char[] head = blank(width);
        for (int i = 0; i < l.lanes().size(); i++) {
            String name = l.lanes().get(i).name();
            put(head, center(i, w) - name.length() / 2, name);
        }
        out.add(new String(head).stripTrailing());
        for (Ladder.Arrow a : l.arrows()) {
            char[] row = lanes(l, w, width, pen);
            put(row, 2, String.format(Locale.ROOT, "%+9.3f ms", a.offsetNs() / 1e6));
            int lo = Math.min(a.from(), a.to());
            int hi = Math.max(a.from(), a.to());
            int cl = center(lo, w);
            int ch = center(hi, w);
            if (lo == hi) {
                row[cl] = pen.seen();
                put(row, cl + 2, cut(a.label(), w - 3, pen));
            } else {
                for (int x = cl + 1; x < ch; x++) {
                    row[x] = pen.line();
                }
                String label = cut(a.label(), ch - cl - 4, pen);
                if (!label.isEmpty()) {
                    put(row, (cl + ch) / 2 - (label.length() + 2) / 2, " " + label + " ");
                }
                int from = center(a.from(), w);
                int to = center(a.to(), w);
                row[from] = a.at() == a.from() ? pen.seen() : pen.junction();
                if (a.at() == a.to()) {
                    row[to] = pen.seen();
                    row[to + (to > from ? -1 : 1)] = to > from ? pen.right() : pen.left();
                } else {
                    row[to] = to > from ? pen.right() : pen.left();
                }
            }
            // The MACs right after the last lane (a label written past it would be cut there).
            String text = lo == hi ? new String(row).stripTrailing()
                    : new String(row, 0, Math.max(center(l.lanes().size() - 1, w), ch) + 1);
            String drawn = text.substring(cl, ch + 1);
            String painted = a.mark() == Ladder.Mark.FAILED ? s.failed(drawn)
                    : a.mark() == Ladder.Mark.EVIDENCE ? s.evidence(drawn) : drawn;
            out.add(text.substring(0, cl) + painted + text.substring(ch + 1) + "  "
                    + Mac.format(a.frame().srcMac()) + " > " + Mac.format(a.frame().dstMac()));
        }
        if (l.stop() != Ladder.NONE) {
            char[] row = lanes(l, w, width, pen);
            int c = center(l.stop(), w);
            row[c] = pen.stop();
            String rest = new String(row, c + 1, width - c - 1);
            out.add((new String(row, 0, c) + s.failed(String.valueOf(pen.stop())) + rest).stripTrailing()
                    + "  no answer: the path stops here");
        }
        return out;
    }

    private static char[] lanes(Ladder l, int w, int width, Pen pen) {
        char[] row = blank(width);
        for (int i = 0; i < l.lanes().size(); i++) {
            row[center(i, w)] = l.lanes().get(i).virtual() ? ':' : pen.lane();
        }
        return row;
    }

    private static int center(int lane, int w) {
        return MARGIN + lane * w + w / 2;
    }

    private static char[] blank(int width) {
        char[] c = new char[width];
        Arrays.fill(c, ' ');
        return c;
    }

    private static void put(char[] row, int at, String text) {
        for (int i = 0; i < text.length() && at + i < row.length; i++) {
            if (at + i >= 0) {
                row[at + i] = text.charAt(i);
            }
        }
    }

    private static String cut(String s, int room, Pen pen) {
        if (room <= 1) {
            return "";
        }
        return s.length() <= room ? s : s.substring(0, room - 1) + pen.cut();
    }
}
