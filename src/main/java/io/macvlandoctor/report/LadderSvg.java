package io.macvlandoctor.report;

import io.macvlandoctor.model.Mac;
import java.util.Locale;

/**
 * A ladder as inline SVG: a lane per capture point (a dashed one for the LAN when it was not captured), an arrow per
 * frame with a dot at the point that saw it, its label above and its time at the left; evidence drawn bold, a
 * failed check's frames red, and a red cross where the path stops. Each arrow carries its frame's point, direction
 * and summary as a tooltip. The markup is well-formed XML (tests parse it), every text escaped.
 */
final class LadderSvg {
    private static final int LEFT = 100;
    private static final int LANE = 190;
    private static final int TOP = 44;
    private static final int ROW = 28;

    private LadderSvg() {
    }

    static String svg(Ladder l) {
        int lanes = l.lanes().size();
        int rows = l.arrows().size() + (l.stop() == Ladder.NONE ? 0 : 1);
        // Room at the right for the stop's words, which start at a lane.
        int width = LEFT + lanes * LANE + (l.stop() == Ladder.NONE ? 0 : 140);
        int height = TOP + rows * ROW + 16;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg class=\"ladder\" xmlns=\"http://www.w3.org/2000/svg\" "
                + "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" data-lanes=\"%d\" data-arrows=\"%d\">",
                width, height, width, height, lanes, l.arrows().size()));
        b.append("<title>").append(Markup.esc(lanes + " capture points, " + l.arrows().size() + " frames"))
                .append("</title>");
        for (int i = 0; i < lanes; i++) {
            Ladder.Lane lane = l.lanes().get(i);
            int x = x(i);
            b.append(String.format(Locale.ROOT, "<g class=\"lane%s\"><text x=\"%d\" y=\"18\" text-anchor=\"middle\">"
                    + "%s</text><line x1=\"%d\" y1=\"28\" x2=\"%d\" y2=\"%d\"/></g>", lane.virtual() ? " virtual" : "",
                    x, Markup.esc(lane.name()), x, x, height - 6));
        }
        int row = 0;
        for (Ladder.Arrow a : l.arrows()) {
            int y = TOP + row * ROW + ROW / 2;
            row++;
            String cls = switch (a.mark()) {
                case FAILED -> "failed";
                case EVIDENCE -> "evidence";
                case PLAIN -> "plain";
            };
            String tip = a.frame().point().name() + " " + a.frame().direction().word() + "  "
                    + Mac.format(a.frame().srcMac()) + " > " + Mac.format(a.frame().dstMac()) + "  "
                    + a.frame().summary();
            b.append(String.format(Locale.ROOT, "<g class=\"arrow %s\" data-point=\"%s\" data-direction=\"%s\">"
                    + "<title>%s</title><text class=\"time\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%+.3f ms</text>",
                    cls, Markup.esc(a.frame().point().name()), a.frame().direction().word(), Markup.esc(tip), LEFT - 14,
                    y + 4, a.offsetNs() / 1e6));
            int x1 = x(a.from());
            int x2 = x(a.to());
            int xs = x(a.at());
            if (x1 == x2) {
                b.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"5\"/><text class=\"label\" "
                        + "x=\"%d\" y=\"%d\">%s</text>", xs, y, xs + 10, y - 6, Markup.esc(a.label())));
            } else {
                int dir = x2 > x1 ? 1 : -1;
                b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                        + "<polygon points=\"%d,%d %d,%d %d,%d\"/><circle cx=\"%d\" cy=\"%d\" r=\"5\"/>"
                        + "<text class=\"label\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                        x1, y, x2 - dir * 8, y, x2, y, x2 - dir * 10, y - 5, x2 - dir * 10, y + 5, xs, y,
                        (x1 + x2) / 2, y - 6, Markup.esc(a.label())));
            }
            b.append("</g>");
        }
        if (l.stop() != Ladder.NONE) {
            int y = TOP + row * ROW + ROW / 2;
            int x = x(l.stop());
            b.append(String.format(Locale.ROOT, "<g class=\"stop\"><text x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
                    + "\u2717</text><text class=\"label\" x=\"%d\" y=\"%d\">no answer: the path stops here</text></g>",
                    x, y + 6, x + 12, y + 4));
        }
        return b.append("</svg>").toString();
    }

    private static int x(int lane) {
        return LEFT + lane * LANE + LANE / 2;
    }
}
