package ponte.bootstrap;

import java.io.IOException;
import java.util.jar.Manifest;

/**
 * The gateway's version: {@code Implementation-Version} of the bootstrap jar's manifest when packaged, else
 * {@code development}. Read from the module's own manifest: for a named module the JDK does not fill
 * {@link Package#getImplementationVersion()} from it, so a packaged node used to report {@code development}.
 */
final class Version {
    private static final String CURRENT = read();

    private Version() {}

    static String current() {
        return CURRENT;
    }

    private static String read() {
        // only a named module's lookup is its own jar; on a class path it would be any jar's manifest
        var module = Version.class.getModule();
        try (var manifest = module.isNamed() ? module.getResourceAsStream("META-INF/MANIFEST.MF") : null) {
            if (manifest != null) {
                var version = new Manifest(manifest).getMainAttributes().getValue("Implementation-Version");
                if (version != null && !version.isBlank()) {
                    return version;
                }
            }
        } catch (IOException unreadable) {
            // fall back below
        }
        var version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
