package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import ponte.domain.event.EventType;

/**
 * The isolation matrix of issue 17, generated from the gateway's own {@code /openapi.json}: every route and method is
 * called with no token, with malformed tokens, with another tenant's account token, with a sibling instance's token,
 * with an instance token where an account token is needed and with the admin token where a tenant's token is
 * needed, and each answer must be the status the auth table of API.md promises, in the error envelope.
 *
 * <p>The expectation of a route is not listed per route: it is derived from the path's shape by {@link #RULES}, the
 * auth table of API.md written as path patterns (so the media, message and token routes other branches add are
 * covered without an edit). A route no rule matches fails the test, naming it. The derived access must also be what
 * the route's own documentation says ("Auth: ..."), so a route declared with the wrong access is caught even where
 * its answers happen to agree.
 *
 * <p>Another tenant's resource is 404, never 403, and no answer to a stranger carries the victim's identifiers or
 * secrets. The calls carry a body built from the route's request schema, so a refusal is about the caller, not the
 * input; one more call per instance route sends malformed JSON, which must still be 404 for a stranger.
 */
class IsolationMatrixTest {
    private static final String ADMIN = GatewayFixture.ADMIN_TOKEN;
    /** Write-only secrets of the victim's webhook: no answer to anyone may contain them. */
    private static final String VICTIM_SECRET = "victim-hmac-secret-5b0e1c";
    private static final String VICTIM_AUTHORIZATION = "Bearer victim-receiver-credential-77aa";
    private static final String PHONE = "5511987659901";
    static final String UNKNOWN_TOKEN_ID = "0190c0de-0000-7000-8000-000000000001";

    @RegisterExtension
    static final GatewayFixture gateway = GatewayFixture.perClass(Map.of("PONTE_RATE_LIMIT_AUTH_FAILURES", "10000000", "PONTE_WHATSAPP", "sandbox",
            "PONTE_SANDBOX_PORT", "0", "PONTE_WEBHOOK_POLL_MS", "50"));
    private static Http http;
    private static Receiver receiver;
    private static GatewayFixture.Tenant victim;
    private static GatewayFixture.Instance own;
    private static GatewayFixture.Instance sibling;
    private static GatewayFixture.Tenant stranger;
    private static String deliveryId;

    /** Who a route admits, as API.md's auth table says it. */
    enum Scope {
        /** No token needed: operations and the API document. */
        PUBLIC("no token"),
        /**
         * No token, but the secret in the URL Chatwoot was given (Chatwoot's inbox webhook): without it every caller,
         * whatever its token, is refused.
         */
        SECRET_URL("no token"),
        /** Any valid token: says who it is, or lists what exists for everyone. */
        ANY_TOKEN("any token"),
        /** The operator's routes: tenants, nodes, the sandbox. */
        ADMIN("the admin token"),
        /** A tenant's account-wide routes, no instance of its own in the path. */
        ACCOUNT_WIDE("an account token"),
        /** An account token only, on one of its instances (the instance's delete). */
        ACCOUNT_ON_INSTANCE("an account token"),
        /** An account token or the instance's own token, on one instance. */
        INSTANCE("an account token, or the instance's own token"),
        /** The delivery log: account or instance token, scoped to the deliveries they may see. */
        DELIVERY_LOG("an account token, or the instance's own token"),
        /** One delivery of the log, by its id. */
        DELIVERY("an account token, or the instance's own token"),
        /** A tenant's account tokens: the admin for any tenant, an account token for its own (another's is 404). */
        TENANT_TOKENS("the admin token, or an account token"),
        /** The audit log: the admin reads all, an account token its tenant's (a stranger sees none of the victim's). */
        AUDIT("the admin token, or an account token");

        final String documented;

        Scope(String documented) {
            this.documented = documented;
        }
    }

    record Rule(Pattern methods, Pattern path, Scope scope) {
        boolean matches(String method, String template) {
            return methods.matcher(method).matches() && path.matcher(template).matches();
        }
    }

    /** API.md's auth table as path patterns; the first that matches wins. */
    static final List<Rule> RULES = List.of(
            rule(".*", "/(healthz|readyz|metrics|openapi\\.json|docs(/.*)?)", Scope.PUBLIC),
            rule("POST", "/v1/chatwoot/webhook/\\{instance_id}", Scope.SECRET_URL),
            rule("GET", "/v1/(me|events/types)", Scope.ANY_TOKEN),
            rule(".*", "/v1/tenants/\\{id}/tokens(/.*)?", Scope.TENANT_TOKENS),
            rule("GET", "/v1/audit", Scope.AUDIT),
            rule(".*", "/v1/(tenants|sandbox|nodes)(/.*)?", Scope.ADMIN),
            rule("GET|POST", "/v1/instances", Scope.ACCOUNT_WIDE),
            rule(".*", "/v1/(proxy|devices)", Scope.ACCOUNT_WIDE),
            rule("DELETE", "/v1/instances/\\{id}", Scope.ACCOUNT_ON_INSTANCE),
            rule(".*", "/v1/instances/\\{id}(/.*)?", Scope.INSTANCE),
            rule("GET", "/ws/\\{name}", Scope.INSTANCE),
            rule("GET", "/v1/webhook-deliveries", Scope.DELIVERY_LOG),
            rule(".*", "/v1/webhook-deliveries/\\{id}(/.*)?", Scope.DELIVERY));

    private static Rule rule(String methods, String path, Scope scope) {
        return new Rule(Pattern.compile(methods), Pattern.compile(path), scope);
    }

    static Scope scopeOf(String method, String template) {
        return RULES.stream().filter(r -> r.matches(method, template)).findFirst().map(Rule::scope)
                .orElseThrow(() -> new AssertionError("no isolation rule covers " + method + " " + template
                        + ": add it to IsolationMatrixTest.RULES as API.md's auth table says (or amend API.md)"));
    }

    @BeforeAll
    static void tenants() {
        http = gateway.http();
        receiver = Receiver.start();
        victim = gateway.newTenant("victim");
        own = gateway.newInstance(victim, "victim-own-3f9c");
        sibling = gateway.newInstance(victim, "victim-sibling-8d21");
        stranger = gateway.newTenant("stranger");
        gateway.newInstance(stranger, "stranger-own");
        assertThat(http.post("/v1/instances/" + own.id() + "/webhooks", victim.token(), "{\"label\":\"default\","
                + "\"url\":\"" + receiver.url("/hook") + "\",\"secret\":\"" + VICTIM_SECRET + "\",\"authorization\":\""
                + VICTIM_AUTHORIZATION + "\"}").status()).isEqualTo(201);
        assertThat(http.put("/v1/instances/" + own.id() + "/websocket", victim.token(), "{\"enabled\":true}")
                .status()).isEqualTo(200);
        assertThat(http.post("/v1/sandbox/phones", ADMIN, "{\"phone_number\":\"" + PHONE
                + "\",\"push_name\":\"Matrix\"}").status()).isEqualTo(201);
        Events.message(gateway, victim, own, "hello");
        receiver.await(1, r -> true, Duration.ofSeconds(10));
        deliveryId = await(() -> http.get("/v1/webhook-deliveries?instance=" + own.id(), victim.token()).json()
                .at("/data/0/id"), JsonNode::isTextual).asText();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void everyRouteAnswersEachKindOfCallerAsTheAuthTablePromises() {
        // this gateway's own document (OpenApiContract keeps the first one the JVM read, maybe without the sandbox)
        var document = http.get("/openapi.json", null).json();
        for (var token : List.of(victim.token(), own.token(), sibling.token(), stranger.token())) {
            assertThat(http.get("/v1/me", token).status()).as("every caller's token works before the matrix")
                    .isEqualTo(200);
        }
        var softly = new SoftAssertions();
        int cases = 0;
        int routes = 0;
        for (var path : document.get("paths").properties()) {
            for (var op : path.getValue().properties()) {
                var method = op.getKey().toUpperCase(Locale.ROOT);
                var template = path.getKey();
                var scope = scopeOf(method, template);
                routes++;
                softly.assertThat(op.getValue().path("description").asText())
                        .as("the documented auth of " + method + " " + template)
                        .contains("Auth: " + scope.documented + ".");
                for (var call : calls(scope, method, template, op.getValue(), document)) {
                    cases++;
                    var response = http.send(method, call.url(), call.token(), call.body(), Map.of());
                    var what = call.caller() + ": " + method + " " + call.url() + " -> " + response;
                    call.expected().check(softly, what, response);
                    softly.assertThat(response.body()).as("secrets of the victim in " + what)
                            .doesNotContain(VICTIM_SECRET).doesNotContain(VICTIM_AUTHORIZATION)
                            .doesNotContain(victim.token()).doesNotContain(own.token())
                            .doesNotContain(sibling.token());
                    if (call.stranger() && response.status() < 300) {
                        softly.assertThat(response.body()).as("the victim's data in " + what)
                                .doesNotContain(own.id()).doesNotContain(own.name()).doesNotContain(victim.id())
                                .doesNotContain(sibling.id()).doesNotContain(deliveryId);
                    }
                }
            }
        }
        System.out.printf("isolation matrix: %d routes, %d cases%n", routes, cases);
        softly.assertAll();
        assertThat(cases).isGreaterThan(routes * 5);
    }

    @Test
    void anUnknownRouteShapeHasNoExpectationAndSaysSo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> scopeOf("GET", "/v1/brand-new-thing"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("/v1/brand-new-thing");
    }

    /** What an answer must be. */
    sealed interface Expected {
        void check(SoftAssertions softly, String what, Http.Response response);
    }

    /** An error in the envelope, with this status and code. */
    record Refused(int status, String code) implements Expected {
        @Override
        public void check(SoftAssertions softly, String what, Http.Response response) {
            softly.assertThat(response.status()).as(what).isEqualTo(status);
            if (response.status() == status) {
                var json = response.json();
                softly.assertThat(json.path("success").asBoolean(true)).as(what).isFalse();
                softly.assertThat(json.path("error_code").asText()).as(what).isEqualTo(code);
                softly.assertThat(json.path("request_id").asText()).as(what).isNotBlank();
            }
        }
    }

    /** Let through: whatever the route then answers, it is neither an auth refusal nor a crash. */
    /** Without the URL's secret: 401, or 404 for an instance without a Chatwoot integration; never admitted. */
    record NoSecret() implements Expected {
        @Override
        public void check(SoftAssertions softly, String what, Http.Response response) {
            softly.assertThat(response.status()).as(what).isIn(401, 404);
        }
    }

    record Admitted() implements Expected {
        @Override
        public void check(SoftAssertions softly, String what, Http.Response response) {
            softly.assertThat(response.status()).as(what).isNotIn(401, 403).isLessThan(500);
        }
    }

    record Call(String caller, String url, String token, String body, Expected expected, boolean stranger) {}

    private static final Expected UNAUTHORIZED = new Refused(401, "UNAUTHORIZED");
    private static final Expected FORBIDDEN = new Refused(403, "FORBIDDEN");
    private static final Expected NOT_FOUND = new Refused(404, "NOT_FOUND");
    private static final Expected ADMITTED = new Admitted();
    private static final Expected NO_SECRET = new NoSecret();

    /** The calls of one route: each kind of caller with what the auth table promises it. */
    private static List<Call> calls(Scope scope, String method, String template, JsonNode op, JsonNode document) {
        var url = url(scope, template);
        var schema = op.at("/requestBody/content/application~1json/schema");
        var body = schema.isMissingNode() ? null : OpenApiContractTest.example(schema, document).toString();
        var calls = new ArrayList<Call>();
        // no token, and three kinds of malformed one: none of them is anybody
        var refused = scope == Scope.SECRET_URL ? NO_SECRET : UNAUTHORIZED;
        calls.add(new Call("no token", url, null, body, scope == Scope.PUBLIC ? ADMITTED : refused, true));
        for (var malformed : List.of("not-a-token", nearMiss(victim.token()), nearMiss(own.token()),
                "ptk_" + "x".repeat(600), "' OR '1'='1")) {
            calls.add(new Call("malformed token " + abbreviate(malformed), url, malformed, body,
                    scope == Scope.PUBLIC ? ADMITTED : refused, true));
        }
        if (scope == Scope.PUBLIC || scope == Scope.SECRET_URL) {
            return calls;
        }
        calls.add(new Call("another tenant's account token", url, stranger.token(), body, switch (scope) {
            case ANY_TOKEN, ACCOUNT_WIDE, DELIVERY_LOG, AUDIT -> ADMITTED;
            case ADMIN -> FORBIDDEN;
            case ACCOUNT_ON_INSTANCE, INSTANCE, DELIVERY, TENANT_TOKENS -> NOT_FOUND;
            case PUBLIC, SECRET_URL -> throw new IllegalStateException();
        }, true));
        if (scope == Scope.INSTANCE || scope == Scope.ACCOUNT_ON_INSTANCE) {
            // the instance is judged before the input: a stranger learns nothing from how its body would be judged
            calls.add(new Call("another tenant's account token with a malformed body", url, stranger.token(),
                    "{\"unclosed\": ", NOT_FOUND, true));
        }
        calls.add(new Call("a sibling instance's token", url, sibling.token(), body, switch (scope) {
            case ANY_TOKEN -> ADMITTED;
            // the instance token on account routes
            case ADMIN, ACCOUNT_WIDE, ACCOUNT_ON_INSTANCE, TENANT_TOKENS, AUDIT -> FORBIDDEN;
            case INSTANCE, DELIVERY -> NOT_FOUND;
            // the log only lists the sibling's own deliveries: checked for the victim instance's data below
            case DELIVERY_LOG -> ADMITTED;
            case PUBLIC, SECRET_URL -> throw new IllegalStateException();
        }, scope == Scope.INSTANCE || scope == Scope.DELIVERY || scope == Scope.DELIVERY_LOG));
        if (scope == Scope.DELIVERY_LOG) {
            // naming the victim instance in the query is naming another's resource
            calls.add(new Call("another tenant's account token naming the instance", url + "?instance=" + own.id(),
                    stranger.token(), body, NOT_FOUND, true));
            calls.add(new Call("a sibling instance's token naming the instance", url + "?instance=" + own.id(),
                    sibling.token(), body, NOT_FOUND, true));
        }
        if (scope == Scope.ACCOUNT_WIDE || scope == Scope.ACCOUNT_ON_INSTANCE || scope == Scope.ADMIN
                || scope == Scope.TENANT_TOKENS || scope == Scope.AUDIT) {
            calls.add(new Call("the instance's own token on an account route", url, own.token(), body, FORBIDDEN,
                    false));
        }
        if (scope != Scope.ADMIN) {
            calls.add(new Call("the admin token on a tenant route", url, ADMIN, body,
                    scope == Scope.ANY_TOKEN || scope == Scope.TENANT_TOKENS || scope == Scope.AUDIT ? ADMITTED
                            : FORBIDDEN, false));
        }
        return calls;
    }

    /** The victim's resources in every path parameter; an unknown parameter fails the test, naming it. */
    private static String url(Scope scope, String template) {
        var matcher = Pattern.compile("\\{([^}]+)}").matcher(template);
        var url = new StringBuilder();
        while (matcher.find()) {
            var value = switch (matcher.group(1)) {
                case "id" -> switch (scope) {
                    case ADMIN, TENANT_TOKENS -> victim.id();
                    case DELIVERY -> deliveryId;
                    default -> own.id();
                };
                case "instance_id" -> own.id();
                case "name" -> own.name();
                case "label" -> "default";
                case "jid" -> template.contains("/groups/") ? "120363000000000001@g.us"
                        : "5511987650002@s.whatsapp.net";
                case "message_id" -> "3EB0C0FFEE00000000000001";
                case "call_id" -> "CA11C0FFEE000001";
                case "type" -> "image"; // not "text": that is a literal route of its own
                case "phone" -> PHONE;
                case "file" -> "swagger-ui.css";
                case "action" -> "accept";
                case "token_id" -> UNKNOWN_TOKEN_ID; // the victim's own tokens stay live for the other calls
                default -> throw new AssertionError("no value for the path parameter {" + matcher.group(1) + "} of "
                        + template + ": add one to IsolationMatrixTest.url");
            };
            matcher.appendReplacement(url, java.util.regex.Matcher.quoteReplacement(value));
        }
        matcher.appendTail(url);
        return url.toString();
    }

    private static String nearMiss(String token) {
        var last = token.charAt(token.length() - 1);
        return token.substring(0, token.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    private static String abbreviate(String token) {
        return token.length() > 24 ? token.substring(0, 24) + "..." : token;
    }

    private static <T> T await(java.util.function.Supplier<T> read, Predicate<T> done) {
        var deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        T value = read.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            value = read.get();
        }
        assertThat(done.test(value)).as("awaited " + value).isTrue();
        return value;
    }
}
