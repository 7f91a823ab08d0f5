package ponte.adapters.http.core;

import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/** Every route of the API, in declaration order; the OpenAPI document and Javalin are both built from it. */
public final class Routes {
    private final List<Route> all = new ArrayList<>();

    public RouteBuilder get(String path) {
        return new RouteBuilder(HandlerType.GET, path, all::add);
    }

    public RouteBuilder post(String path) {
        return new RouteBuilder(HandlerType.POST, path, all::add);
    }

    public RouteBuilder put(String path) {
        return new RouteBuilder(HandlerType.PUT, path, all::add);
    }

    public RouteBuilder patch(String path) {
        return new RouteBuilder(HandlerType.PATCH, path, all::add);
    }

    public RouteBuilder delete(String path) {
        return new RouteBuilder(HandlerType.DELETE, path, all::add);
    }

    public List<Route> all() {
        return List.copyOf(all);
    }
}
