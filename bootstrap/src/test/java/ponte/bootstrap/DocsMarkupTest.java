package ponte.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How {@link DocsIT} reads a page: which blocks run, where a command ends, and what an answer must contain. */
class DocsMarkupTest {
    private static final Map<String, Integer> PORTS = Map.of("8080", 41000, "8081", 41001, "9000", 41002);

    @Test
    void onlyShellBlocksRunAndTheGatewayBlockStartsTheGateway() throws Exception {
        var steps = DocsIT.steps("page.md", """
                ```sh gateway
                ./ponte serve
                ```

                ```text
                Admin token: pta_x
                ```

                ```sh
                ADMIN=$(sed -n 's/^Admin token: //p' ponte.log)   # the token
                curl -s localhost:8080/healthz
                # {"success":true,"status":"up"}
                ```

                ```json
                {"success":true}
                ```

                Prose.

                ```json
                {"not":"an answer: prose stands between"}
                ```

                ```sh skip
                curl -N localhost:8080/stream
                ```

                ```python
                print("never run")
                ```
                """, PORTS);
        assertThat(steps).containsExactly(
                new DocsIT.Step.Gateway("page.md:1", "./ponte serve"),
                new DocsIT.Step.Command("page.md:10", "ADMIN=$(sed -n 's/^Admin token: //p' ponte.log)   # the token", ""),
                new DocsIT.Step.Command("page.md:11", "curl -s localhost:41000/healthz",
                        "\n {\"success\":true,\"status\":\"up\"}"),
                new DocsIT.Step.Answer("page.md:15", "{\"success\":true}"));
    }

    @Test
    void aCommandRunsOnWhileAQuoteIsOpenOrALineEndsInABackslash() throws Exception {
        var steps = DocsIT.steps("page.md", """
                ```sh
                curl -s -X POST localhost:8080/v1/tenants \\
                  -d '{"name":
                       "Acme"}'
                python3 -c '
                print(9000)' &
                ```
                """, PORTS);
        assertThat(steps).extracting(step -> ((DocsIT.Step.Command) step).text()).containsExactly(
                "curl -s -X POST localhost:41000/v1/tenants \\\n  -d '{\"name\":\n       \"Acme\"}'",
                "python3 -c '\nprint(41002)' &");
    }

    @Test
    void anAnswerMatchesInItsEssentials() {
        var answer = DocsIT.jsonValues("""
                {"success":true,"instance":{"id":"01a22a77-56d5-7627-8216-34d52d803fc6","name":"support-line",\
                "status":"connected","token":"pti_abc","created_at":"2026-11-30T03:20:25.670Z"},\
                "chatwoot":{"status":"error","error":"could not reach Chatwoot at https://x (ConnectException)"}}""");
        assertThat(DocsIT.missingEssentials("""
                {"success":true,"instance":{"id":"01a1fc9c-...","name":"support-line","status":"connected",
                 "token":"pti_BbKmcokTOc21UkPAv7DMOzjAxtFq5tUPazFGRkZGwhQ","created_at":"..."},
                 "chatwoot":{"status":"error","error":"could not reach Chatwoot at ..."}}""", answer)).isEmpty();
        assertThat(DocsIT.missingEssentials("# ...\"status\":\"qr\",\"phone_number\":null", answer))
                .containsExactly("\"status\": \"qr\"", "\"phone_number\": null");
        assertThat(DocsIT.missingEssentials("{\"error\":\"could not reach Chatwoot at https://y ...\"}", answer))
                .containsExactly("\"error\": \"could not reach Chatwoot at https://y ...\"");
    }
}
