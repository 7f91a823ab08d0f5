package ponte.adapters.http.routes;

import ponte.adapters.http.core.Access;
import ponte.adapters.http.core.Authenticator;
import ponte.adapters.http.core.Bodies;
import ponte.adapters.http.core.InlineBlock;
import ponte.adapters.http.core.Routes;
import ponte.adapters.http.dto.SettingsDtos;
import ponte.application.port.in.UseCases;

/** An instance's behaviour settings. */
public final class SettingsRoutes {
    private SettingsRoutes() {}

    public static void register(Routes routes, UseCases useCases, Bodies bodies) {
        var settings = useCases.instanceSettings();
        routes.get("/v1/instances/{id}/settings").access(Access.ACCOUNT_OR_INSTANCE).tag("Settings")
                .summary("Get an instance's settings").description("The defaults when they were never changed.")
                .returns(200, SettingsDtos.SettingsResponse.class).errors(404)
                .handle(ctx -> ctx.json(new SettingsDtos.SettingsResponse(true, SettingsDtos.SettingsView.of(
                        settings.get(Authenticator.principal(ctx), ctx.pathParam("id"))))));
        routes.put("/v1/instances/{id}/settings").access(Access.ACCOUNT_OR_INSTANCE).tag("Settings")
                .summary("Change an instance's settings")
                .description("A partial update: the fields sent change, the others keep their value. Flags must be "
                        + "JSON booleans.")
                .body(SettingsDtos.SettingsBody.class).returns(200, SettingsDtos.SettingsResponse.class).errors(404)
                .handle(ctx -> ctx.json(new SettingsDtos.SettingsResponse(true, SettingsDtos.SettingsView.of(
                        settings.update(Authenticator.principal(ctx), ctx.pathParam("id"),
                                bodies.read(ctx, SettingsDtos.SettingsBody.class).patch())))));
    }

    /** The {@code settings} block of {@code POST /v1/instances}. */
    public static InlineBlock inlineBlock(UseCases useCases, Bodies bodies) {
        return InlineBlock.of("settings", SettingsDtos.SettingsBody.class, (caller, created, block) ->
                SettingsDtos.SettingsView.of(useCases.instanceSettings().update(caller, created.id().toString(),
                        bodies.fields(block, SettingsDtos.SettingsBody.class).patch())));
    }
}
