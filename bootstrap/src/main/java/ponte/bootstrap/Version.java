package ponte.bootstrap;

/** The gateway's version, from the jar's manifest when packaged. */
final class Version {
    private Version() {}

    static String current() {
        var version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }
}
