package io.macvlandoctor.it;

/**
 * The order integration test classes start in (JUnit's ClassOrderer.OrderAnnotation, set in the pom): the longest
 * first, so that on a machine of two cores the suite does not end waiting for one long class started last.
 * Classes without an order start after these.
 */
final class LongestFirst {
    static final int ANSIBLE = 1;
    static final int DIAGNOSE = 2;
    static final int SIGNALS = 3;
    static final int DOCKER = 4;
    static final int CHROMIUM = 5;
    static final int PACKAGE = 6;

    private LongestFirst() {
    }
}
