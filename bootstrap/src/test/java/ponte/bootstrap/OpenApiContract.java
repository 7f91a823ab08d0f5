package ponte.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.oas.OpenApi31;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The gateway's own {@code /openapi.json}, held against every answer the tests get: a response of a documented route
 * must have a documented status and, when JSON, match the schema the document gives for that status. The schemas
 * are checked by an independent JSON Schema 2020-12 implementation (OpenAPI 3.1's dialect), as a strict generated
 * client would read them.
 */
final class OpenApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCUMENT = "https://ponte.test/openapi.json";
    private static volatile OpenApiContract instance;

    private final JsonNode document;
    private final List<Operation> operations = new ArrayList<>();
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
            .build();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();

    private OpenApiContract(String text) throws IOException {
        this.document = JSON.readTree(text);
        var dialect = OpenApi31.getInstance();
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                .metaSchema(dialect).defaultMetaSchemaIri(dialect.getIri())
                .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT, text))));
        document.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op ->
                operations.add(new Operation(op.getKey().toUpperCase(Locale.ROOT), path.getKey(), op.getValue()))));
    }

    /** The document, read once from the first gateway that asks (every gateway serves the same one). */
    static OpenApiContract of(String base) {
        var contract = instance;
        if (contract == null) {
            synchronized (OpenApiContract.class) {
                if (instance == null) {
                    instance = load(base);
                }
                contract = instance;
            }
        }
        return contract;
    }

    private static OpenApiContract load(String base) {
        try {
            var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/openapi.json"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            return new OpenApiContract(response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    JsonNode document() {
        return document;
    }

    /** The documented operation a request reaches, if any (literal paths win over templated ones). */
    Optional<Operation> operation(String method, String path) {
        var plain = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        return operations.stream().filter(op -> op.method().equals(method) && op.matches(plain))
                .min(java.util.Comparator.comparingLong(op -> op.template().chars().filter(c -> c == '{').count()));
    }

    /** Throws an AssertionError naming what does not conform. */
    void check(String method, String path, Http.Response response) {
        var found = operation(method, path);
        if (found.isEmpty()) {
            return;
        }
        var op = found.get();
        var what = method + " " + path + " (" + op.template() + ") answered " + response.status();
        var documented = op.node().path("responses").get(Integer.toString(response.status()));
        if (documented == null) {
            throw new AssertionError(what + ", a status /openapi.json does not document: " + response.body());
        }
        var type = response.header("Content-Type");
        if (type == null || !type.startsWith("application/json") || !documented.path("content").has(
                "application/json")) {
            return;
        }
        var pointer = "/paths/" + escape(op.template()) + "/" + method.toLowerCase(Locale.ROOT) + "/responses/"
                + response.status() + "/content/application~1json/schema";
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError(what + " with a body that is not JSON: " + response.body(), e);
        }
        var errors = schema(pointer).validate(body);
        if (!errors.isEmpty()) {
            throw new AssertionError(what + " with a body that does not match its schema in /openapi.json: "
                    + errors + "\n" + response.body());
        }
    }

    /** Validates any JSON against the schema at a JSON pointer of the document. */
    java.util.Set<com.networknt.schema.ValidationMessage> validate(String pointer, JsonNode value) {
        return schema(pointer).validate(value);
    }

    private JsonSchema schema(String pointer) {
        return schemas.computeIfAbsent(pointer, p -> factory.getSchema(SchemaLocation.of(DOCUMENT + "#" + p), config));
    }

    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    record Operation(String method, String template, JsonNode node) {
        boolean matches(String path) {
            var regex = Pattern.quote(template).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            return path.matches(regex);
        }
    }
}
