package io.macvlandoctor.report;

import com.networknt.schema.InputFormat;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

/** docs/report.schema.json, against which every report the tests write is validated. */
public final class ReportSchema {
    public static final Path FILE = Path.of("docs/report.schema.json");
    private static JsonSchema schema;

    private ReportSchema() {
    }

    private static synchronized JsonSchema schema() {
        if (schema == null) {
            Path f = Files.exists(FILE) ? FILE : Path.of(System.getProperty("mvd.root", "."), FILE.toString());
            try {
                schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(Files.readString(f));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + f, e);
            }
        }
        return schema;
    }

    /** Fails the test with every message of the validator when the report does not match the schema. */
    public static void assertValid(String json) {
        Set<ValidationMessage> errors = schema().validate(json, InputFormat.JSON);
        if (!errors.isEmpty()) {
            throw new AssertionError("the report does not match docs/report.schema.json:\n"
                    + errors.stream().map(ValidationMessage::getMessage).collect(Collectors.joining("\n")));
        }
    }
}
