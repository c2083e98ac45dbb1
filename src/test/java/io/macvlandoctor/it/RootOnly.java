package io.macvlandoctor.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a test class that needs root and the real kernel. Without root it is skipped, unless
 * -Dmvd.requireRoot=true (as in CI), where a skip would hide missing coverage: then it fails.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Tag("root")
@ExtendWith(RootOnly.Check.class)
public @interface RootOnly {
    final class Check implements BeforeAllCallback {
        @Override
        public void beforeAll(ExtensionContext context) {
            boolean root = "root".equals(System.getProperty("user.name"));
            if (root) {
                return;
            }
            if (Boolean.getBoolean("mvd.requireRoot")) {
                fail("this test needs root and -Dmvd.requireRoot=true forbids skipping it");
            }
            Assumptions.assumeTrue(false, "needs root");
        }
    }
}
