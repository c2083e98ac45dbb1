package io.macvlandoctor.report;

/** Text as XML and HTML take it, in element content and in attributes alike: the JUnit and HTML reports. */
final class Markup {
    private Markup() {
    }

    /**
     * Escapes the five markup characters, and puts '?' for the control characters XML 1.0 cannot carry at all (a
     * name read off a host may hold anything).
     */
    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') {
                        sb.append('?');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
