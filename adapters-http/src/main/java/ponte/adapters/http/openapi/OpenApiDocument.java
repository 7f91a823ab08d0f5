package ponte.adapters.http.openapi;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.ErrorCode;
import ponte.adapters.http.core.Route;
import ponte.adapters.http.core.RoutePipeline;
import ponte.adapters.http.dto.ErrorBody;

/** The OpenAPI 3.1 document of every declared route, built once at start-up. */
public final class OpenApiDocument {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private OpenApiDocument() {}

    public static ObjectNode of(List<Route> routes, String version) {
        var schemas = new JsonSchemas();
        var doc = F.objectNode().put("openapi", "3.1.0");
        doc.putObject("info")
                .put("title", "Ponte")
                .put("version", version)
                .put("description", "Self-hosted, multi-tenant WhatsApp HTTP API gateway. Errors share one envelope; "
                        + "every response carries X-Request-Id.\n\nLimits (docs/configuration.md, each counted by each "
                        + "node for itself): every authenticated route is rate limited per tenant, a token bucket of "
                        + "`PONTE_RATE_LIMIT_REQUESTS` a minute (the admin token has its own), and message sends "
                        + "(`POST .../messages/...`, edits, revokes) also against `PONTE_RATE_LIMIT_SENDS`; a refusal is "
                        + "429 `RATE_LIMITED` with `Retry-After`, and limited responses carry `RateLimit-Limit`, "
                        + "`RateLimit-Remaining` and `RateLimit-Reset`. A body over `PONTE_MAX_BODY_BYTES` (1 MiB; "
                        + "`PONTE_MAX_MEDIA_BODY_BYTES`, 32 MiB, on routes taking a `base64` file) is 413 "
                        + "`PAYLOAD_TOO_LARGE` before it is read. Live clients (WebSocket and SSE) are capped per "
                        + "tenant (`PONTE_LIVE_CLIENTS_PER_TENANT`); slow clients are disconnected.")
                .set("license", F.objectNode().put("name", "Apache License 2.0").put("identifier", "Apache-2.0"));
        // relative: the gateway that serves the document is the server, whatever address it is reached at
        doc.putArray("servers").addObject().put("url", "/").put("description", "this gateway");
        var security = doc.putObject("components").putObject("securitySchemes");
        security.putObject("bearer").put("type", "http").put("scheme", "bearer");
        security.putObject("tokenHeader").put("type", "apiKey").put("in", "header").put("name", "token");
        security.putObject("apikeyHeader").put("type", "apiKey").put("in", "header").put("name", "apikey");
        security.putObject("tokenQuery").put("type", "apiKey").put("in", "query").put("name", "token");
        var errorRef = schemas.schemaOf(ErrorBody.class);
        var paths = doc.putObject("paths");
        for (var route : routes) {
            var path = paths.has(route.path()) ? (ObjectNode) paths.get(route.path()) : paths.putObject(route.path());
            path.set(route.method().name().toLowerCase(Locale.ROOT), operation(route, schemas, errorRef));
        }
        // events Ponte POSTs to webhooks, documented where their data has a shape of its own
        var labelUpdate = doc.putObject("webhooks").putObject("label.update").putObject("post");
        labelUpdate.put("summary", "A label changed on the account's phone (business accounts)");
        labelUpdate.putObject("requestBody").put("required", true).putObject("content")
                .putObject("application/json").set("schema",
                        schemas.schemaOf(ponte.adapters.http.dto.EventDtos.LabelUpdateEvent.class));
        labelUpdate.putObject("responses").putObject("2XX").put("description", "Received; any other answer is "
                + "retried on the webhook's schedule");
        var componentSchemas = ((ObjectNode) doc.get("components")).putObject("schemas");
        schemas.components().forEach(componentSchemas::set);
        return doc;
    }

    private static ObjectNode operation(Route route, JsonSchemas schemas, ObjectNode errorRef) {
        var op = F.objectNode();
        op.putArray("tags").add(route.tag());
        op.put("summary", route.summary());
        op.put("description", (route.description().isEmpty() ? "" : route.description() + "\n\n")
                + "Auth: " + route.access().describe() + "."
                + (route.rateLimit() == null ? "" : " Rate limit: " + route.rateLimit().perMinute() + " "
                + route.rateLimit().name() + "/min per tenant (a token bucket: bursts up to that many, then that "
                + "rate), besides the tenant's requests limit."));
        op.put("operationId", operationId(route));
        var parameters = op.putArray("parameters");
        var matcher = PATH_PARAM.matcher(route.path());
        while (matcher.find()) {
            parameters.addObject().put("name", matcher.group(1)).put("in", "path").put("required", true)
                    .set("schema", F.objectNode().put("type", "string"));
        }
        for (var query : route.queryParams()) {
            parameters.addObject().put("name", query.name()).put("in", "query").put("description", query.description())
                    .set("schema", schemas.schemaOf(query.type()));
        }
        if (route.access() == Access.PUBLIC) {
            op.putArray("security");
        } else {
            var security = op.putArray("security");
            security.addObject().putArray("bearer");
            security.addObject().putArray("tokenHeader");
            security.addObject().putArray("apikeyHeader");
            if (route.queryTokenAllowed()) {
                security.addObject().putArray("tokenQuery");
            }
        }
        if (route.requestBody() != null) {
            op.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
                    .set("schema", schemas.requestSchemaOf(route.requestBody()));
        }
        var responses = op.putObject("responses");
        var ok = responses.putObject(Integer.toString(route.status())).put("description", "success");
        if (route.responseBody() != null) {
            ok.putObject("content").putObject(route.responseMediaType())
                    .set("schema", schemas.schemaOf(route.responseBody()));
        }
        for (var other : route.otherOutcomes()) {
            responses.putObject(Integer.toString(other.status())).put("description", other.description())
                    .putObject("content").putObject(other.body() == String.class ? route.responseMediaType()
                            : "application/json").set("schema", schemas.schemaOf(other.body()));
        }
        for (int status : errorStatuses(route)) {
            responses.putObject(Integer.toString(status)).put("description", describe(status))
                    .putObject("content").putObject("application/json").set("schema", errorRef);
        }
        return op;
    }

    private static List<Integer> errorStatuses(Route route) {
        var statuses = new java.util.TreeSet<>(route.errorStatuses());
        if (route.access() != Access.PUBLIC) {
            statuses.addAll(List.of(401, 403, 429));
            if (RoutePipeline.instanceParameter(route.path()) != null) {
                statuses.add(404); // the pipeline's check that the caller may reach the instance
            }
        }
        statuses.add(400); // a path, query or header the server will not decode, on any route (ServerErrors)
        statuses.add(500);
        return List.copyOf(statuses);
    }

    private static String describe(int status) {
        var codes = java.util.Arrays.stream(ErrorCode.values()).filter(c -> c.status() == status)
                .map(Enum::name).toList();
        return codes.isEmpty() ? "error" : String.join(" or ", codes);
    }

    private static String operationId(Route route) {
        var words = route.path().replaceAll("[{}]", "").split("[/_-]");
        var id = new StringBuilder(route.method().name().toLowerCase(Locale.ROOT));
        for (var word : words) {
            if (!word.isEmpty() && !word.equals("v1")) {
                id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return id.toString();
    }
}
