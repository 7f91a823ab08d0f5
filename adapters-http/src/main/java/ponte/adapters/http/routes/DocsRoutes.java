package ponte.adapters.http.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Routes;
import ponte.application.error.NotFoundException;

/** The OpenAPI document and Swagger UI (from its webjar) to read it and try the API out. */
public final class DocsRoutes {
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
    private static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css",
            "swagger-ui-bundle.js", "text/javascript",
            "favicon-32x32.png", "image/png");
    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Ponte API</title>
              <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
              <link rel="icon" href="/docs/assets/favicon-32x32.png">
            </head>
            <body>
              <div id="swagger-ui"></div>
              <script src="/docs/assets/swagger-ui-bundle.js"></script>
              <script>
                window.ui = SwaggerUIBundle({url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true});
              </script>
            </body>
            </html>
            """;

    private DocsRoutes() {}

    public static void register(Routes routes, Supplier<ObjectNode> document) {
        var webjar = WEBJAR + webjarVersion() + "/";
        routes.get("/openapi.json").access(Access.PUBLIC).tag("Operations")
                .summary("This API as an OpenAPI 3.1 document").returns(200, Object.class)
                .handle(ctx -> ctx.json(document.get()));
        routes.get("/docs").access(Access.PUBLIC).tag("Operations").summary("Interactive API documentation")
                .returnsText("text/html")
                .handle(ctx -> ctx.html(PAGE));
        routes.get("/docs/assets/{file}").access(Access.PUBLIC).tag("Operations")
                .summary("Assets of the documentation page").returnsText("application/octet-stream").errors(404)
                .handle(ctx -> {
                    var file = ctx.pathParam("file");
                    var type = ASSETS.get(file);
                    InputStream in = type == null ? null : resource(webjar + file);
                    if (in == null) {
                        throw new NotFoundException("no documentation asset " + file);
                    }
                    ctx.header("Cache-Control", "public, max-age=86400").contentType(type).result(in);
                });
    }

    private static String webjarVersion() {
        try (var in = resource("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            var properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the swagger-ui webjar is missing from the module path", e);
        }
    }

    // META-INF is no package, so its resources are readable across modules through the class loader
    private static InputStream resource(String name) {
        return DocsRoutes.class.getClassLoader().getResourceAsStream(name);
    }
}
